package main

import (
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
)

func TestWithoutCredentialsRunsADemoFlowLocally(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "run", "order-routing", "--json", "--input", `{"orderId":"A-1","total":20,"country":"SG"}`)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "no Alibaba Cloud credentials found", "local engine")
	var got runJSON
	decodeStrict(t, stdout, &got)
	if got.Backend != "local" || got.Status != "Succeeded" || got.FlowName != "order-routing" || got.RequestId == "" {
		t.Fatalf("run object %+v", got)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(got.Output), &out); err != nil || out["route"] != "standard" {
		t.Fatalf("output %s (%v)", got.Output, err)
	}
}

func TestLocalFlowsListsTheDemoFlows(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "flows", "--local", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var flows []map[string]any
	decodeStrict(t, stdout, &flows)
	names := map[string]bool{}
	for _, f := range flows {
		names[f["Name"].(string)] = true
		if f["SampleInput"] == nil || f["Description"] == nil {
			t.Errorf("demo flow %v lacks a description or a sample input", f["Name"])
		}
	}
	for _, want := range []string{"order-routing", "price-list", "parallel-lookup", "charge-with-retry", "wait-then-go", "builtin-tour"} {
		if !names[want] {
			t.Errorf("demo flow %s missing from %v", want, names)
		}
	}
	if strings.Contains(stderr, "no Alibaba Cloud credentials") {
		t.Errorf("--local chose the engine explicitly, yet stderr says %q", stderr)
	}
}

func TestALocalRunThatFailsExitsOne(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "run", "order-routing", "--local", "--input", `{"orderId":"A-1","total":20,"country":"US"}`)
	wantCode(t, code, 1, stdout, stderr)
	wantContains(t, "stderr", stderr, "Failed", "Order.CountryNotServed")
}

const brokenFlow = "Type: StateMachine\nName: broken\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: Nowhere\n"

func TestAFlowFileThatDoesNotParseIsListedWithItsPosition(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "broken.yaml", brokenFlow)

	code, stdout, stderr := runCLI(t, "flows", "--flows", dir)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, "broken", "invalid", "broken.yaml:6:5")
	wantContains(t, "stderr", stderr, "1 flow file does not load")

	code, stdout, stderr = runCLI(t, "describe", "broken", "--flows", dir)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, "This flow does not load", `Next names "Nowhere"`)
	if !regexp.MustCompile(`Mode:\s+invalid`).MatchString(stdout) {
		t.Errorf("describe gives a mode to a flow that does not load:\n%s", stdout)
	}

	code, stdout, stderr = runCLI(t, "run", "broken", "--flows", dir)
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "InvalidArgument", "broken.yaml:6:5")
}

// A local Standard flow runs as a StartExecution the command follows to its
// end; it cannot be left running (--no-wait), since it lives in this process.
func TestALocalStandardFlowRunsToItsEnd(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "std.yaml", "Name: std\nExecutionMode: Standard\nDefinition: |\n  Type: StateMachine\n  Name: std\n  SpecVersion: v1\n  StartAt: A\n  States:\n    - Type: Pass\n      Name: A\n      End: true\n")
	code, stdout, stderr := runCLI(t, "run", "std", "--flows", dir, "--input", `{"k":"v"}`, "--events")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, `"k": "v"`)
	wantContains(t, "stderr", stderr, "Succeeded", "ExecutionStarted", "StepEntered", "ExecutionSucceeded")

	code, stdout, stderr = runCLI(t, "run", "std", "--flows", dir, "--no-wait")
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, "--no-wait", "flowtui serve")
}

func TestMocksAndTestCasesFromTheCommandLine(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "charge.yaml", "Type: StateMachine\nName: charge\nSpecVersion: v1\nStartAt: Charge\nStates:\n  - Type: Task\n    Name: Charge\n    Action: ECS:DescribeInstances\n    End: true\n")
	mocks := writeFile(t, dir, "mocks.yml.txt", "Flows:\n  charge:\n    TestCases:\n      Paid: { Charge: OK }\nMockedResponses:\n  OK: { \"0\": { Return: { paid: true } } }\n")

	code, stdout, stderr := runCLI(t, "run", "charge", "--flows", dir, "--mocks", mocks, "--test-case", "Paid", "--trace")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, `"paid": true`)
	wantContains(t, "stderr (trace)", stderr, "STATE", "Charge", "Task")

	code, stdout, stderr = runCLI(t, "run", "charge", "--flows", dir, "--mocks", mocks, "--test-case", "Nope")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, `test case "Nope"`, "Paid")

	code, stdout, stderr = runCLI(t, "run", "charge", "--flows", dir)
	wantCode(t, code, 1, stdout, stderr)
	wantContains(t, "stderr", stderr, "flowtui.TaskNotMocked", "ECS:DescribeInstances")
}

func TestABadMockFileExitsTwoWithItsPosition(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	mocks := writeFile(t, dir, "mocks.yaml", "Flows:\n  f:\n    TestCases:\n      A: { S: Missing }\n")
	code, stdout, stderr := runCLI(t, "flows", "--mocks", mocks)
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, "mocks.yaml:4:", `"Missing"`)
}

func TestLocalOptionsConflictWithAnEndpoint(t *testing.T) {
	isolate(t)
	srv := newFake(t)
	for _, args := range [][]string{
		{"flows", "--local", "--endpoint", srv.URL},
		{"flows", "--flows", t.TempDir(), "--endpoint", srv.URL},
	} {
		code, stdout, stderr := runCLI(t, args...)
		wantCode(t, code, 2, stdout, stderr)
	}
	if srv.Count("") != 0 {
		t.Fatal("a request was sent")
	}
}

func TestTestCaseIsRefusedForTheCloud(t *testing.T) {
	isolate(t)
	envKeys(t)
	code, stdout, stderr := runCLI(t, "run", "f", "--test-case", "A")
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, "--test-case")
}

func TestTestCaseIsSentToAnEndpoint(t *testing.T) {
	srv := newFake(t, expressFlow)
	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL, "--test-case", "Declined")
	wantCode(t, code, 0, stdout, stderr)
	if got := firstStart(t, srv).Header.Get("x-flowtui-test-case"); got != "Declined" {
		t.Fatalf("header x-flowtui-test-case = %q", got)
	}
}

func TestTheCopiedCommandLineChoosesTheSameBackend(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	mocks := writeFile(t, dir, "m.yaml", "Flows: {}\n")
	a := &app{g: globals{local: true, flows: dir, mocks: mocks, signature: client.SignatureV2}, io: stdio{err: io.Discard}}
	b, err := a.backend(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.reproduce(b), " "); got != "--local --flows "+dir+" --mocks "+mocks {
		t.Fatalf("local: %q", got)
	}
	srv := newFake(t)
	a = &app{g: globals{endpoint: srv.URL, signature: client.SignatureV3}, io: stdio{err: io.Discard}}
	if b, err = a.backend(0); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(a.reproduce(b), " "); got != "--endpoint "+srv.URL+" --signature v3" {
		t.Fatalf("endpoint: %q", got)
	}
}

// An interrupted local run was stopped by the local engine: the message says
// so, not that an execution goes on server-side.
func TestAnInterruptedLocalRunSaysItWasCancelled(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	t0 := time.Now()
	stop := cancelWhen(t, cancel, func() bool { return time.Since(t0) > 300*time.Millisecond })
	defer stop()
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "wait-then-go", "--local", "--input", `{"orderId":"A-1","seconds":15}`)
	wantCode(t, code, 130, stdout, stderr)
	wantContains(t, "stderr", stderr, "wait-then-go", "the local run was cancelled")
	if strings.Contains(stderr, "server-side") {
		t.Fatalf("a local run is said to go on server-side: %s", stderr)
	}
}

// A local run shorter than a millisecond reads "<1 ms", as in the TUI,
// never "0 ms", which would say it took no time or was not measured.
func TestSubMillisecondRunSaysUnderOneMillisecond(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "order-routing", "--local", "--no-history")
	wantCode(t, code, 0, stdout, stderr)
	if strings.Contains(stderr, " 0 ms") {
		t.Fatalf("summary says 0 ms: %q", stderr)
	}
}
