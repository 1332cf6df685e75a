package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

const demoDefinition = `version: v1
type: flow
steps:
  - type: pass
    name: hello
`

// manyFlows returns n flows, every third one Standard.
func manyFlows(n int) []fnftest.Flow {
	flows := make([]fnftest.Flow, n)
	for i := range flows {
		mode := "Express"
		if i%3 == 0 {
			mode = "Standard"
		}
		flows[i] = fnftest.Flow{
			Name: fmt.Sprintf("flow_%03d", i), ExecutionMode: mode,
			Description: fmt.Sprintf("flow number %d", i), Definition: demoDefinition,
		}
	}
	return flows
}

func TestFlowsTableListsEveryFlowAcrossPages(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(manyFlows(250)...))

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)

	lines := strings.Split(strings.TrimRight(stdout, "\n"), "\n")
	if len(lines) != 251 {
		t.Fatalf("got %d lines, want a header and 250 flows:\n%s", len(lines), stdout)
	}
	wantContains(t, "the header", lines[0], "NAME", "MODE", "DESCRIPTION")
	for i, line := range lines[1:] {
		want := manyFlows(250)[i]
		f := strings.Fields(line)
		if len(f) < 2 || f[0] != want.Name || f[1] != want.ExecutionMode {
			t.Errorf("line %d = %q, want flow %s in mode %s", i+1, line, want.Name, want.ExecutionMode)
		}
		wantContains(t, "the row", line, want.Description)
	}
	if n := srv.Count("ListFlows"); n != 3 {
		t.Errorf("ListFlows was called %d times, want 3 pages of at most 100", n)
	}
	for _, r := range srv.Requests() {
		if got := r.Params.Get("Limit"); got != "100" {
			t.Errorf("ListFlows Limit = %q, want 100", got)
		}
	}
}

func TestFlowsJSONIsAnArrayWithAPIFieldNames(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(manyFlows(120)...))

	code, stdout, stderr := runCLI(t, "flows", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if !json.Valid([]byte(stdout)) {
		t.Fatalf("stdout is not valid JSON:\n%s", stdout)
	}
	var flows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &flows); err != nil {
		t.Fatalf("stdout is not a JSON array of objects: %v", err)
	}
	if len(flows) != 120 {
		t.Fatalf("got %d flows, want 120", len(flows))
	}
	for i, f := range flows {
		want := manyFlows(120)[i]
		if f["Name"] != want.Name || f["ExecutionMode"] != want.ExecutionMode || f["Description"] != want.Description {
			t.Errorf("flow %d = %v, want Name %s, ExecutionMode %s, Description %q", i, f, want.Name, want.ExecutionMode, want.Description)
		}
		for _, key := range []string{"Id", "Type", "CreatedTime", "LastModifiedTime"} {
			if s, _ := f[key].(string); s == "" {
				t.Errorf("flow %d has no %s: %v", i, key, f)
			}
		}
		for key := range f {
			if strings.ToLower(key[:1]) == key[:1] {
				t.Errorf("flow %d has field %q; want the API's capitalised names", i, key)
			}
		}
	}
}

func TestFlowsJSONOnAnEmptyAccountPrintsAnEmptyArray(t *testing.T) {
	srv := newFake(t)

	code, stdout, stderr := runCLI(t, "flows", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if strings.TrimSpace(stdout) != "[]" {
		t.Errorf("stdout = %q, want []", stdout)
	}
}

func TestFlowsTableOnAnEmptyAccountSaysSoOnStderr(t *testing.T) {
	srv := newFake(t)

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if stdout != "" {
		t.Errorf("stdout = %q, want nothing", stdout)
	}
	wantContains(t, "stderr", stderr, "no flows", "cn-hangzhou")
}

func TestDescribePrintsNameModeAndDefinition(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(fnftest.Flow{
		Name: "my_flow", ExecutionMode: "Express", Description: "says hello", Definition: demoDefinition,
	}))

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, "my_flow", "Express", "says hello", strings.TrimRight(demoDefinition, "\n"))
	if got := srv.Requests()[0].Params.Get("Name"); got != "my_flow" {
		t.Errorf("DescribeFlow Name = %q, want my_flow", got)
	}
}

func TestDescribeJSONIsTheDescribeFlowObject(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(fnftest.Flow{
		Name: "my_flow", ExecutionMode: "Standard", Description: "says hello", Definition: demoDefinition,
		RoleArn: "acs:ram::1:role/fnf",
	}))

	code, stdout, stderr := runCLI(t, "describe", "my_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	var f struct {
		Name, Id, Type, Definition, Description, RoleArn, ExecutionMode string
		CreatedTime, LastModifiedTime, RequestId                        string
	}
	decodeStrict(t, stdout, &f)
	if f.Name != "my_flow" || f.ExecutionMode != "Standard" || f.Definition != demoDefinition ||
		f.Description != "says hello" || f.RoleArn != "acs:ram::1:role/fnf" || f.Type != "FDL" {
		t.Errorf("describe --json = %+v", f)
	}
	if f.RequestId == "" || f.Id == "" || f.CreatedTime == "" {
		t.Errorf("describe --json lacks RequestId, Id or CreatedTime: %+v", f)
	}
}

func TestDescribeUnknownFlowExplainsFlowNotExists(t *testing.T) {
	srv := newFake(t)

	code, stdout, stderr := runCLI(t, "describe", "nope", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "FlowNotExists", "nope", "what it means:", "what to do:", "flowtui flows")
	if n := srv.Count("DescribeFlow"); n != 1 {
		t.Errorf("DescribeFlow was called %d times; a 404 is not worth a retry", n)
	}
}

func TestDescribeUnknownFlowJSONIsAnErrorObject(t *testing.T) {
	srv := newFake(t)

	code, stdout, stderr := runCLI(t, "describe", "nope", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "FlowNotExists" || e.Error.HttpStatus != 404 || e.Error.RequestId == "" ||
		!strings.Contains(e.Error.Message, "nope") {
		t.Errorf("error JSON = %+v", e.Error)
	}
	if reqs := srv.Requests(); len(reqs) == 1 && reqs[0].Code != "FlowNotExists" {
		t.Errorf("the fake answered %q", reqs[0].Code)
	}
}
