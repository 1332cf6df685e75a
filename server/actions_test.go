package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

// Official clients differ in where they put parameters: the fnf SDK sends
// reads as GET with a query string and writes as a form body; a V3 client may
// put everything in the query. All are answered alike.
func TestParametersInTheQueryOrTheBodyWithEitherSignature(t *testing.T) {
	ts := start(t, Config{})
	input := `{"orderId":"A-1","total":20,"country":"SG","note":"a b+c&d=é"}`
	for _, sig := range []string{"v2", "v3"} {
		for _, place := range []struct {
			name    string
			method  string
			inQuery bool
		}{{"GET query", http.MethodGet, true}, {"POST query", http.MethodPost, true}, {"POST form", http.MethodPost, false}} {
			t.Run(sig+" "+place.name, func(t *testing.T) {
				a := ts.do(t, call{action: "StartSyncExecution", sig: sig, method: place.method, inQuery: place.inQuery,
					params: []string{"FlowName", "order-routing", "ExecutionName", "try-1", "Input", input}})
				wantOK(t, a)
				if fnf.Status(a.str("Status")) != fnf.StatusSucceeded || a.str("FlowName") != "order-routing" || !strings.HasPrefix(a.str("Name"), "try-1:") {
					t.Fatalf("execution %s", a.raw)
				}
				var out map[string]any
				if err := json.Unmarshal([]byte(a.str("Output")), &out); err != nil || out["route"] != "standard" {
					t.Fatalf("output %s (%v)", a.str("Output"), err)
				}
				d := ts.do(t, call{action: "DescribeFlow", sig: sig, method: place.method, inQuery: place.inQuery, params: []string{"Name", "wait-then-go"}})
				wantOK(t, d)
				if d.str("Name") != "wait-then-go" || d.str("ExecutionMode") != fnf.ModeExpress || !strings.Contains(d.str("Definition"), "StartAt: Cooldown") {
					t.Fatalf("flow %s", d.raw)
				}
			})
		}
	}
}

// A V2 request is answered with or without the x-acs-action and
// x-acs-version headers the official clients add. V2 signs no header, so
// the signed Action decides, never the header.
func TestV2HeadersNamingTheActionAreOptionalAndNotTrusted(t *testing.T) {
	ts := start(t, Config{})
	for _, tt := range []struct {
		name   string
		header map[string]string
	}{
		{"without", nil},
		{"with", map[string]string{"x-acs-action": "DescribeFlow", "x-acs-version": fnf.APIVersion}},
		{"naming another action", map[string]string{"x-acs-action": "DeleteFlow", "x-acs-version": "2015-01-01"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := ts.do(t, call{action: "DescribeFlow", params: []string{"Name", "order-routing"}, header: tt.header})
			wantOK(t, a)
			if a.str("Name") != "order-routing" {
				t.Fatalf("answer %s", a.raw)
			}
		})
	}
	wantOK(t, ts.do(t, call{action: "DescribeFlow", params: []string{"Name", "order-routing"}}))
}

func TestFlowtuisClientWorksAgainstTheServer(t *testing.T) {
	ts := start(t, Config{})
	for _, sig := range []string{client.SignatureV2, client.SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			c := ts.cloud(t, sig)
			flows, err := c.ListFlows(t.Context())
			if err != nil || len(flows) != len(demoFlows(t)) {
				t.Fatalf("ListFlows: %d flows, %v", len(flows), err)
			}
			f, err := c.DescribeFlow(t.Context(), "charge-with-retry")
			if err != nil || f.RequestId == "" || f.Id == "" || f.CreatedTime == "" {
				t.Fatalf("DescribeFlow: %+v, %v", f, err)
			}
			// The test case travels in the x-flowtui-test-case header.
			res, err := c.StartSyncExecution(t.Context(), fnf.SyncRequest{FlowName: "charge-with-retry", TestCase: "Declined", Input: `{"orderId":"A-1"}`})
			if err != nil || res.Status != fnf.StatusSucceeded || !strings.Contains(res.Output, "declined") {
				t.Fatalf("Declined: %+v, %v", res, err)
			}
			res, err = c.StartSyncExecution(t.Context(), fnf.SyncRequest{FlowName: "charge-with-retry", Input: `{"orderId":"A-1"}`})
			if err != nil || !strings.Contains(res.Output, "ch_7f3a91") {
				t.Fatalf("Default: %+v, %v", res, err)
			}
			res, err = c.StartSyncExecution(t.Context(), fnf.SyncRequest{FlowName: "order-routing", Input: `{"orderId":"A-1","total":20,"country":"US"}`})
			if err != nil || res.Status != fnf.StatusFailed || res.ErrorCode != "Order.CountryNotServed" {
				t.Fatalf("a failing run: %+v, %v", res, err)
			}
		})
	}
}

func TestCreateDescribeRunUpdateDelete(t *testing.T) {
	ts := start(t, Config{})
	do := func(action string, params ...string) answer { return ts.do(t, call{action: action, params: params}) }

	a := do("CreateFlow", "Name", "greet", "Type", "FDL", "ExecutionMode", "Express", "Description", "says hi", "Definition", expressFlow("greet", "one"))
	wantOK(t, a)
	if a.str("Name") != "greet" || a.str("Id") == "" || a.str("CreatedTime") == "" || a.str("Description") != "says hi" || a.str("Type") != "FDL" {
		t.Fatalf("CreateFlow answer %s", a.raw)
	}
	wantError(t, do("CreateFlow", "Name", "greet", "Type", "FDL", "Definition", expressFlow("greet", "two")), 400, CodeFlowAlreadyExists, "greet")

	runGreet := func() string {
		a := do("StartSyncExecution", "FlowName", "greet")
		wantOK(t, a)
		return a.str("Output")
	}
	if out := runGreet(); out != `{"v":"one"}` {
		t.Fatalf("output %s", out)
	}

	wantOK(t, do("UpdateFlow", "Name", "greet", "Definition", expressFlow("greet", "two"), "Description", ""))
	if out := runGreet(); out != `{"v":"two"}` {
		t.Fatalf("after UpdateFlow, output %s", out)
	}
	d := do("DescribeFlow", "Name", "greet")
	if d.str("Description") != "" || d.str("ExecutionMode") != fnf.ModeExpress || d.str("LastModifiedTime") == "" {
		t.Fatalf("after UpdateFlow: %s", d.raw)
	}
	wantError(t, do("UpdateFlow", "Name", "greet", "ExecutionMode", "Standard"), 400, fnf.CodeInvalidArgument, "ExecutionMode cannot change")
	wantOK(t, do("UpdateFlow", "Name", "greet", "ExecutionMode", "Express", "RoleArn", "acs:ram::1:role/x"))
	wantError(t, do("UpdateFlow", "Name", "greet", "Definition", brokenFlowFile), 400, fnf.CodeInvalidArgument, "Definition:6:5", "Nowhere")
	if out := runGreet(); out != `{"v":"two"}` {
		t.Fatalf("a refused update changed the flow: output %s", out)
	}
	wantError(t, do("UpdateFlow", "Name", "nope"), 404, fnf.CodeFlowNotExists)

	wantOK(t, do("DeleteFlow", "Name", "greet"))
	wantError(t, do("DescribeFlow", "Name", "greet"), 404, fnf.CodeFlowNotExists)
	wantError(t, do("StartSyncExecution", "FlowName", "greet"), 404, fnf.CodeFlowNotExists)
	wantError(t, do("DeleteFlow", "Name", "greet"), 404, fnf.CodeFlowNotExists)
	// The demo flows are in the same store, deleted in memory only.
	wantOK(t, do("DeleteFlow", "Name", "order-routing"))
	wantError(t, do("DeleteFlow"), 400, fnf.CodeMissingRequiredParams, "Name")
}

func TestCreateFlowChecksItsParametersAndDefinition(t *testing.T) {
	ts := start(t, Config{})
	do := func(params ...string) answer { return ts.do(t, call{action: "CreateFlow", params: params}) }
	good := expressFlow("f1", "x")

	wantError(t, do("Description", "d"), 400, fnf.CodeMissingRequiredParams, "Name, Definition, Type")
	wantError(t, do("Name", "f1", "Type", "FDL"), 400, fnf.CodeMissingRequiredParams, "Definition")
	wantError(t, do("Name", "f1", "Definition", good, "Type", "YAML"), 400, fnf.CodeInvalidArgument, `"YAML"`)
	wantError(t, do("Name", "1f", "Definition", good, "Type", "FDL"), 400, fnf.CodeInvalidArgument, `"1f"`)
	wantError(t, do("Name", "f1", "Definition", good, "Type", "FDL", "ExecutionMode", "Fast"), 400, fnf.CodeInvalidArgument, `"Fast"`)
	wantError(t, do("Name", "f1", "Definition", good, "Type", "FDL", "Environment", "{"), 400, fnf.CodeInvalidArgument, "Environment")
	// The definition's own Name must be the flow's, pointed at where it is written.
	wantError(t, do("Name", "other", "Definition", good, "Type", "FDL"), 400, fnf.CodeInvalidArgument, "Definition:2:7", `"f1"`, `"other"`)
	wantError(t, do("Name", "f1", "Definition", "Type: StateMachine\nStartAt: [", "Type", "FDL"), 400, fnf.CodeInvalidArgument, "Definition:", "invalid YAML")
	wait := "Type: StateMachine\nName: w\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: 60\n    End: true\n"
	wantError(t, do("Name", "w", "Definition", wait, "Type", "FDL", "ExecutionMode", "Express"), 400, fnf.CodeInvalidArgument, "Definition:6:5", "1–20 s")
	// The same Wait is fine in a Standard flow, the default mode, which
	// StartSyncExecution refuses as the service does.
	a := do("Name", "w", "Definition", wait, "Type", "FDL")
	wantOK(t, a)
	if a.str("ExecutionMode") != fnf.ModeStandard {
		t.Fatalf("an empty ExecutionMode is Standard; got %s", a.raw)
	}
	wantError(t, ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "w"}}), 400, fnf.CodeActionNotSupported, "Standard")
	// Description is documented as required; it is not insisted on.
	wantOK(t, do("Name", "f1", "Definition", good, "Type", "FDL", "ExecutionMode", "Express"))
}

func TestListFlowsPagesByName(t *testing.T) {
	ts := start(t, Config{})
	for i := range 25 {
		name := fmt.Sprintf("flow-%02d", i)
		wantOK(t, ts.do(t, call{action: "CreateFlow", params: []string{"Name", name, "Type", "FDL", "ExecutionMode", "Express", "Definition", expressFlow(name, "x")}}))
	}
	var names []string
	token, pages := "", 0
	for {
		params := []string{"Limit", "7"}
		if token != "" {
			params = append(params, "NextToken", token)
		}
		a := ts.do(t, call{action: "ListFlows", method: http.MethodGet, params: params})
		wantOK(t, a)
		pages++
		var page struct {
			Flows     []fnf.Flow
			NextToken *string
		}
		if err := json.Unmarshal(a.raw, &page); err != nil {
			t.Fatal(err)
		}
		if len(page.Flows) > 7 {
			t.Fatalf("page of %d flows for Limit 7", len(page.Flows))
		}
		for _, f := range page.Flows {
			names = append(names, f.Name)
		}
		if page.NextToken == nil {
			break
		}
		if *page.NextToken == "" || pages > 10 {
			t.Fatalf("NextToken %q on page %d: absent on the last page, else a name", *page.NextToken, pages)
		}
		token = *page.NextToken
	}
	want := 25 + len(demoFlows(t))
	if len(names) != want || pages != (want+6)/7 || !slices.IsSorted(names) || len(slices.Compact(slices.Clone(names))) != want {
		t.Fatalf("%d pages, %d names, sorted and unique: %v", pages, len(names), names)
	}
	// The default page is 60; a token of a flow deleted meanwhile resumes
	// after it.
	a := ts.do(t, call{action: "ListFlows", method: http.MethodGet})
	if n := len(a.body["Flows"].([]any)); n != want || a.body["NextToken"] != nil {
		t.Fatalf("default page: %d flows, NextToken %v", n, a.body["NextToken"])
	}
	wantOK(t, ts.do(t, call{action: "DeleteFlow", params: []string{"Name", "flow-10"}}))
	a = ts.do(t, call{action: "ListFlows", method: http.MethodGet, params: []string{"Limit", "1", "NextToken", "flow-10"}})
	if got := a.body["Flows"].([]any)[0].(map[string]any)["Name"]; got != "flow-11" {
		t.Fatalf("after a deleted token: %v", got)
	}
	// flowtui's client follows every page (it asks 100 at a time).
	all, err := ts.cloud(t, client.SignatureV2).ListFlows(t.Context())
	if err != nil || len(all) != want-1 {
		t.Fatalf("client ListFlows: %d, %v", len(all), err)
	}
}

// The README's table of actions is the server's: same actions, same order,
// same notes.
func TestTheREADMEDescribesEveryActionServed(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "| action | notes |\n|---|---|\n")
	if !ok {
		t.Fatal("README.md has no table of actions (| action | notes |)")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var want []string
	for _, a := range actions {
		want = append(want, "| `"+a.name+"` | "+a.doc+" |")
	}
	if got := strings.Split(strings.TrimSpace(table), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README.md's table of actions:\n%s\nwant, from the server's actions:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
