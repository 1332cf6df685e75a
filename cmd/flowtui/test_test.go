package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The shipped test files of the demo flows pass through the real command;
// --fast-wait skips refund-approval's 60 s Wait, and its cases still report
// the minute the flow takes.
func TestShippedFlowTestsPass(t *testing.T) {
	isolate(t)
	code, out, errOut := runCLI(t, "test", filepath.Join("..", "..", "flowtests"), "--fast-wait")
	wantCode(t, code, exitOK, out, errOut)
	for _, flow := range []string{"builtin-tour", "charge-with-retry", "order-routing", "parallel-lookup", "price-list", "refund-approval", "wait-then-go"} {
		wantContains(t, "stdout", out, flow+"/")
	}
	wantContains(t, "stdout", out, "PASS: 14 passed, 0 failed, 0 errors, 0 skipped", "ok    refund-approval/approved refund (1m0")
}

// maxDuration holds the flow's time, which --fast-wait keeps: a 60 s Wait
// skipped still took a minute.
func TestFastWaitMaxDurationChecksTheFlowsTime(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "r.test.yaml", `flow: refund-approval
cases:
  - name: too slow
    input: {refundId: R-1, amount: 1}
    testCase: Approved
    expect: {status: Succeeded, maxDuration: 30s}
`)
	code, out, errOut := runCLI(t, "test", dir, "--fast-wait")
	wantCode(t, code, exitRunFailed, out, errOut)
	wantContains(t, "stdout", out, "FAIL  refund-approval/too slow", "maxDuration", "took 1m0", "more than 30s")
}

const failingTest = `flow: order-routing
cases:
  - name: passes
    input: {orderId: A-1, total: 20, country: JP}
    expect: {status: Succeeded}
  - name: wrong route
    input: {orderId: A-1, total: 1500, country: CN}
    expect:
      output: {orderId: A-1, route: standard}
`

func TestTestFailureExitsOneWithDiffJSONAndJUnit(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "o.test.yaml", failingTest)
	code, out, errOut := runCLI(t, "test", dir)
	wantCode(t, code, exitRunFailed, out, errOut)
	wantContains(t, "stdout", out, "ok    order-routing/passes", "FAIL  order-routing/wrong route",
		`~ $.route: - "standard" + "manual-review"`, "ManualReview (Pass)", "FAIL: 1 passed, 1 failed")

	junit := filepath.Join(dir, "report.xml")
	code, out, errOut = runCLI(t, "test", dir, "--json", "--junit", junit, "-j", "1")
	wantCode(t, code, exitRunFailed, out, errOut)
	var res struct {
		Summary struct{ Passed, Failed int }
		Results []struct {
			Case, Status string
			Failures     []struct {
				Expect string
				Diff   []struct{ Op, Path, Expected, Actual string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json: %v\n%s", err, out)
	}
	if res.Summary.Passed != 1 || res.Summary.Failed != 1 || res.Results[1].Failures[0].Expect != "output" ||
		res.Results[1].Failures[0].Diff[1] != struct{ Op, Path, Expected, Actual string }{"~", "$.route", `"standard"`, `"manual-review"`} {
		t.Errorf("JSON: %+v", res)
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil || doc.Tests != 2 || doc.Failures != 1 {
		t.Errorf("JUnit %+v %v:\n%s", doc, err, data)
	}
	if fi, _ := os.Stat(junit); fi.Mode().Perm() != 0o600 {
		t.Errorf("JUnit file mode %v, want 0600", fi.Mode().Perm())
	}

	code, out, errOut = runCLI(t, "test", dir, "--run", "passes")
	wantCode(t, code, exitOK, out, errOut)
}

func TestTestUpdateRewritesAndSaysSo(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	path := writeFile(t, dir, "o.test.yaml", "# kept\n"+failingTest)
	code, out, errOut := runCLI(t, "test", dir, "--update")
	wantCode(t, code, exitOK, out, errOut)
	wantContains(t, "stderr", errOut, "updated "+path+": order-routing/wrong route: output updated (1 paths changed)")
	data, _ := os.ReadFile(path)
	wantContains(t, "file", string(data), "# kept", `"route": "manual-review"`)
	code, out, errOut = runCLI(t, "test", dir)
	wantCode(t, code, exitOK, out, errOut)
}

func TestBadTestFilesExitTwoWithFileLineColumn(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	a := writeFile(t, dir, "a.test.yaml", "flow: order-routing\ncases:\n  - name: x\n    expect: {stauts: Succeeded}\n")
	b := writeFile(t, dir, "b.test.yaml", "flow: no-such-flow\ncases: []\n")
	code, out, errOut := runCLI(t, "test", dir)
	wantCode(t, code, exitUsage, out, errOut)
	wantContains(t, "stderr", errOut, a+`:4:14: expect: unknown key "stauts"; did you mean "status"?`, b+`:1:7: flow "no-such-flow"`)
	if out != "" {
		t.Errorf("nothing should run; stdout:\n%s", out)
	}
	code, _, errOut = runCLI(t, "test", t.TempDir())
	if code != exitUsage || !strings.Contains(errOut, "no test files") {
		t.Errorf("empty dir: %d %s", code, errOut)
	}
	code, _, _ = runCLI(t, "test", dir, "--run", "(")
	if code != exitUsage {
		t.Errorf("bad --run: %d", code)
	}
}

// A flow's error message reaches the terminal sanitised, in text and JUnit.
func TestTestOutputIsSanitised(t *testing.T) {
	isolate(t)
	flows := t.TempDir()
	writeFile(t, flows, "esc.yaml", "Name: esc\nExecutionMode: Express\nDefinition: |\n  Type: StateMachine\n  Name: esc\n  SpecVersion: v1\n  StartAt: F\n  States:\n    - Type: Fail\n      Name: F\n      Code: E.Esc\n      Detail: \"clear \\e[2J here\"\n")
	dir := t.TempDir()
	writeFile(t, dir, "esc.test.yaml", "flow: esc\ncases:\n  - name: c\n    expect: {status: Succeeded}\n")
	junit := filepath.Join(dir, "j.xml")
	code, out, errOut := runCLI(t, "--flows", flows, "test", dir, "--junit", junit)
	wantCode(t, code, exitRunFailed, out, errOut)
	wantContains(t, "stdout", out, "status: want Succeeded, got Failed (E.Esc: clear ^[[2J here)")
	data, _ := os.ReadFile(junit)
	if strings.ContainsRune(string(data), 0x1b) {
		t.Errorf("JUnit holds an escape:\n%q", data)
	}
}

// On an endpoint (here a loopback flowtui serve) the cases run through the
// client; a states expectation of an Express run cannot be checked there,
// and the result says so.
func TestTestAgainstServeSaysWhatItCannotCheck(t *testing.T) {
	flows := t.TempDir()
	writeFile(t, flows, "std.yaml", "Name: std\nExecutionMode: Standard\nDefinition: |\n  Type: StateMachine\n  Name: std\n  SpecVersion: v1\n  StartAt: A\n  States:\n    - Type: Pass\n      Name: A\n      Next: B\n    - Type: Pass\n      Name: B\n      OutputConstructor:\n        done: true\n      End: true\n")
	s := serveWithEnvKeys(t, "--flows", flows)
	dir := t.TempDir()
	writeFile(t, dir, "o.test.yaml", `flow: order-routing
cases:
  - name: review
    input: {orderId: A-1, total: 1500, country: CN}
    expect:
      output: {orderId: A-1, route: manual-review}
      states: [CheckCountry, CheckAmount, ManualReview]
  - name: declined by mock
    input: {orderId: A-1, total: 5, country: FR}
    expect: {status: Failed, error: {code: Order.CountryNotServed}}
`)
	writeFile(t, dir, "s.test.yaml", "flow: std\ncases:\n  - name: two states\n    expect: {output: {done: true}, states: [A, B]}\n")
	code, out, errOut := runCLI(t, "--endpoint", s.url, "test", dir)
	wantCode(t, code, exitOK, out, errOut)
	wantContains(t, "stdout", out, "ok    order-routing/review", "note: states not checked", "ok    std/two states", "PASS: 3 passed")
	if strings.Count(out, "note:") != 1 {
		t.Errorf("a Standard run's states are checked from its history; want one note:\n%s", out)
	}
}
