package flowtest

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

func local(t *testing.T) *engine.Local {
	t.Helper()
	l, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close(context.Background(), "test over") })
	return l
}

func parse(t *testing.T, text string) *File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x"+Suffix)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func parseErr(t *testing.T, text string) string {
	t.Helper()
	_, err := Parse("x.test.yaml", []byte(text))
	if err == nil {
		t.Fatalf("parsed, want an error:\n%s", text)
	}
	return err.Error()
}

func TestUnknownKeysAreErrorsWithLineColumnAndNearestKey(t *testing.T) {
	got := parseErr(t, `flow: order-routing
cases:
  - name: a
    expect:
      status: Succeeded
      outptu: {}
`)
	want := `x.test.yaml:6:7: expect: unknown key "outptu"; did you mean "output"?`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	got = parseErr(t, "flow: f\ncases:\n  - name: a\n    inptu: {}\n    expect: {}\n")
	if !strings.Contains(got, `x.test.yaml:4:5: case: unknown key "inptu"; did you mean "input"?`) {
		t.Errorf("got %s", got)
	}
}

func TestBadValuesAreErrorsAtTheirPlace(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"cases: []\n", `x.test.yaml:1:1: test file: missing key "flow"`},
		{"flow: f\ncases:\n  - name: a\n    expect: {status: Done}\n", `4:22: status "Done": want one of Succeeded`},
		{"flow: f\ncases:\n  - name: a\n    expect: {error: {message: '('}}\n", `4:31: error message: not a regular expression`},
		{"flow: f\ncases:\n  - name: a\n    expect: {assert: ['.a ==']}\n", `4:23: assert ".a =="`},
		{"flow: f\ncases:\n  - name: a\n    expect: {maxDuration: soon}\n", `4:27: maxDuration "soon"`},
		{"flow: f\ncases:\n  - name: a\n    input: [1]\n    expect: {}\n", `4:12: input: want a JSON object`},
		{"flow: f\ncases:\n  - name: a\n    input: '@nothere.json'\n    expect: {}\n", `4:12: input @nothere.json`},
		{"flow: f\ncases:\n  - name: a\n    expect: {}\n  - name: a\n    expect: {}\n", `5:5: case "a": another case has that name`},
		{"flow: f\ncases:\n  - expect: {}\n", `3:5: case: missing key "name"`},
	} {
		if got := parseErr(t, tc.text); !strings.Contains(got, tc.want) {
			t.Errorf("%q:\ngot  %s\nwant %s", tc.text, got, tc.want)
		}
	}
}

func TestInputFromFileAndInline(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "in.json"), []byte(`{"orderId": "F-1", "total": 12345678901234567890}`), 0o600)
	path := filepath.Join(dir, "a"+Suffix)
	os.WriteFile(path, []byte("flow: f\ncases:\n  - {name: file, input: '@in.json', expect: {}}\n  - {name: text, input: '{\"a\": 1}', expect: {}}\n  - {name: yaml, input: {a: [1, x]}, expect: {}}\n"), 0o600)
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{`{"orderId": "F-1", "total": 12345678901234567890}`, `{"a": 1}`, `{"a":[1,"x"]}`} {
		if f.Cases[i].Input != want {
			t.Errorf("case %d input %s, want %s", i, f.Cases[i].Input, want)
		}
	}
}

// every is a test file using every expectation kind, all met by the demo flows.
const every = `flow: order-routing
cases:
  - name: big order goes to review
    input: {orderId: A-1, total: 1500, country: CN}
    expect:
      status: Succeeded
      output: {orderId: A-1, route: manual-review}
      outputSubset: {route: manual-review}
      assert: ['.route == "manual-review"', '$status == "Succeeded"', '$input.total > 1000']
      states: [CheckCountry, CheckAmount, ManualReview]
      maxDuration: 10s
  - name: not served
    input: {orderId: A-2, total: 10, country: FR}
    expect:
      status: Failed
      error: {code: Order.CountryNotServed, message: 'only ship to CN'}
      assert: ['$error.code == "Order.CountryNotServed"']
      states: [CheckCountry, NotServed]
  - name: skipped
    skip: shown as skipped
    expect: {status: Succeeded}
`

func TestEveryExpectationKindPasses(t *testing.T) {
	rs := Run(context.Background(), local(t), []*File{parse(t, every)}, Options{Jobs: 2})
	want := []string{Passed, Passed, Skipped}
	for i, r := range rs {
		if r.Status != want[i] {
			t.Errorf("%s: %s, want %s: %+v %s", r.Case, r.Status, want[i], r.Failures, r.Err)
		}
	}
}

func TestEachExpectationKindReportsWhatFailed(t *testing.T) {
	for _, tc := range []struct{ expect, kind, reason string }{
		{"status: Failed", "status", "want Failed, got Succeeded"},
		{"error: {code: X.Y}", "error.code", `want "X.Y", got ""`},
		{"error: {message: nope}", "error.message", `"" does not match /nope/`},
		{"output: {orderId: A-1, route: standard}", "output", "differs from the expected output"},
		{"outputSubset: {route: standard, extra: 1}", "outputSubset", "does not contain"},
		{"assert: ['.route == \"standard\"']", "assert", `.route == "standard": gave false, not true`},
		{"assert: ['.route']", "assert", `gave "manual-review", not true`},
		{"states: [CheckCountry, Accept]", "states", "want CheckCountry → Accept, got CheckCountry → CheckAmount → ManualReview"},
		{"maxDuration: 1ns", "maxDuration", "more than 1ns"},
	} {
		f := parse(t, "flow: order-routing\ncases:\n  - name: c\n    input: {orderId: A-1, total: 1500, country: CN}\n    expect:\n      "+tc.expect+"\n")
		rs := Run(context.Background(), local(t), []*File{f}, Options{})
		r := rs[0]
		if r.Status != Failed || len(r.Failures) != 1 {
			t.Errorf("%s: %s %+v, want one failure", tc.expect, r.Status, r.Failures)
			continue
		}
		if fl := r.Failures[0]; fl.Expect != tc.kind || !strings.Contains(fl.Reason, tc.reason) {
			t.Errorf("%s: %s %q, want %s %q", tc.expect, fl.Expect, fl.Reason, tc.kind, tc.reason)
		}
	}
}

func TestFailureShowsDiffAndTraceUpToFailingState(t *testing.T) {
	f := parse(t, `flow: order-routing
cases:
  - name: c
    input: {orderId: A-1, total: 150, country: SG}
    expect:
      output: {orderId: A-1, route: standard}
      states: [CheckCountry, CheckAmount, Accept]
`)
	rs := Run(context.Background(), local(t), []*File{f}, Options{})
	var b bytes.Buffer
	WriteText(&b, rs, time.Second)
	out := b.String()
	for _, want := range []string{
		"FAIL  order-routing/c (" + f.Path + ":3)",
		`~ $.route: - "standard" + "express-shipping"`,
		"(1 unchanged)",
		"states: want CheckCountry → CheckAmount → Accept, got CheckCountry → CheckAmount → ExpressShipping",
		" 3 ExpressShipping (Pass)",
		"FAIL: 0 passed, 1 failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestRunFilterAndUnknownFlow(t *testing.T) {
	f := parse(t, every)
	rs := Run(context.Background(), local(t), []*File{f}, Options{Run: regexp.MustCompile("not served")})
	if len(rs) != 1 || rs[0].Case != "not served" {
		t.Fatalf("--run picked %d cases", len(rs))
	}
	g := parse(t, "flow: no-such-flow\ncases:\n  - {name: a, expect: {status: Succeeded}}\n")
	rs = Run(context.Background(), local(t), []*File{g}, Options{})
	if rs[0].Status != Errored || !strings.Contains(rs[0].Err, "no-such-flow") {
		t.Errorf("unknown flow: %s %q", rs[0].Status, rs[0].Err)
	}
}

func TestUpdateRewritesOutputAndKeepsTheRest(t *testing.T) {
	text := `# order routing snapshots
flow: order-routing
cases:
  - name: review
    input: {orderId: A-1, total: 1500, country: CN}
    expect:
      # the route a reviewer sees
      output: {orderId: A-1, route: old}
  - name: unchanged
    input: {orderId: A-2, total: 5, country: JP}
    expect:
      status: Succeeded
`
	f := parse(t, text)
	rs := Run(context.Background(), local(t), []*File{f}, Options{})
	changes, err := Update([]*File{f}, rs)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 1 || changes[0].Case != "review" || changes[0].Diffs != 1 {
		t.Fatalf("changes %+v", changes)
	}
	data, _ := os.ReadFile(f.Path)
	for _, want := range []string{"# order routing snapshots", "# the route a reviewer sees", `"route": "manual-review"`, "name: unchanged"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("updated file lacks %q:\n%s", want, data)
		}
	}
	again, err := Load(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Run(context.Background(), local(t), []*File{again}, Options{}) {
		if r.Status != Passed {
			t.Errorf("after --update, %s: %s %+v", r.Case, r.Status, r.Failures)
		}
	}
}

func TestJUnitParsesWithCounts(t *testing.T) {
	f := parse(t, every+"  - name: wrong\n    input: {orderId: A-3, total: 1, country: CN}\n    expect: {status: Failed}\n")
	rs := Run(context.Background(), local(t), []*File{f}, Options{})
	var b bytes.Buffer
	if err := WriteJUnit(&b, rs, time.Second); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Skipped  int      `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Class   string `xml:"classname,attr"`
				Time    string `xml:"time,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
					Body    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct{} `xml:"skipped"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("JUnit does not parse: %v\n%s", err, b.String())
	}
	if doc.Tests != 4 || doc.Failures != 1 || doc.Skipped != 1 || len(doc.Suites) != 1 || len(doc.Suites[0].Cases) != 4 {
		t.Fatalf("counts: %+v\n%s", doc, b.String())
	}
	c := doc.Suites[0].Cases[3]
	if c.Name != "wrong" || c.Class != "order-routing" || c.Failure == nil || !strings.Contains(c.Failure.Message, "status: want Failed") {
		t.Errorf("failing case: %+v", c)
	}
	if doc.Suites[0].Cases[2].Skipped == nil {
		t.Error("skipped case has no <skipped>")
	}
}

// A Standard flow runs with StartExecution to its end; its states come from
// the execution's history.
func TestStandardFlowStatesFromHistory(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "std.yaml"), []byte(`Name: std
ExecutionMode: Standard
Definition: |
  Type: StateMachine
  Name: std
  SpecVersion: v1
  StartAt: Check
  States:
    - Type: Choice
      Name: Check
      Branches:
        - Condition: $Input.ok
          Next: Good
      Default: Bad
    - Type: Pass
      Name: Good
      OutputConstructor:
        done: true
      End: true
    - Type: Fail
      Name: Bad
      Code: Std.Bad
      Detail: not ok
`), 0o600)
	l, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir, FlowsDirMust: true})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background(), "test over")
	f := parse(t, `flow: std
cases:
  - name: good
    input: {ok: true}
    expect: {status: Succeeded, output: {done: true}, states: [Check, Good]}
  - name: bad
    input: {ok: false}
    expect: {status: Failed, error: {code: Std.Bad, message: not ok}, states: [Check, Bad]}
  - name: wrong
    input: {ok: false}
    expect: {states: [Check, Good]}
`)
	rs := Run(context.Background(), l, []*File{f}, Options{})
	for i, want := range []string{Passed, Passed, Failed} {
		if rs[i].Status != want {
			t.Errorf("%s: %s, want %s: %+v %s", rs[i].Case, rs[i].Status, want, rs[i].Failures, rs[i].Err)
		}
	}
	var b bytes.Buffer
	WriteText(&b, rs[2:], time.Second)
	if !strings.Contains(b.String(), "2 Bad ✗ Std.Bad") {
		t.Errorf("trace of the Standard run:\n%s", b.String())
	}
}

// A long output is written back as indented YAML that reads as the same JSON.
func TestUpdateWritesLongOutputsIndentedAndExact(t *testing.T) {
	f := parse(t, "flow: parallel-lookup\ncases:\n  - name: c\n    input: {sku: '007', warehouse: 'true'}\n    expect:\n      output: {}\n")
	rs := Run(context.Background(), local(t), []*File{f}, Options{})
	if _, err := Update([]*File{f}, rs); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(f.Path)
	if !strings.Contains(string(data), "\n        sku: \"007\"\n") {
		t.Errorf("not indented YAML with a quoted \"007\":\n%s", data)
	}
	again, err := Load(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if r := Run(context.Background(), local(t), []*File{again}, Options{})[0]; r.Status != Passed {
		t.Errorf("%s %+v\n%s", r.Status, r.Failures, data)
	}
}

func TestExpectedNumbersKeepEveryDigit(t *testing.T) {
	f := parse(t, "flow: f\ncases:\n  - name: c\n    input: {n: 123456789012345678901234567890, h: 0x1F, s: '007', e: 1.5e3}\n    expect:\n      output: {n: 123456789012345678901234567890, l: [1, true, null, ~]}\n")
	if want := `{"n":123456789012345678901234567890,"h":31,"s":"007","e":1.5e3}`; f.Cases[0].Input != want {
		t.Errorf("input %s, want %s", f.Cases[0].Input, want)
	}
	if want := `{"n":123456789012345678901234567890,"l":[1,true,null,null]}`; *f.Cases[0].Expect.Output != want {
		t.Errorf("output %s, want %s", *f.Cases[0].Expect.Output, want)
	}
	fl := Check(f.Cases[0], Outcome{Status: "Succeeded", Output: `{"n":123456789012345678901234567891,"l":[1,true,null,null]}`})
	if len(fl) != 1 || fl[0].Expect != "output" {
		t.Errorf("a last-digit difference: %+v", fl)
	}
}

// A case past --timeout could not run: it says why and what helps, and its
// Standard execution is stopped rather than left waiting. refund-approval
// with no test case waits 60 s, then for a callback nobody sends.
func TestACasePastItsTimeoutIsStoppedAndSaysWhy(t *testing.T) {
	l := local(t)
	f := parse(t, `flow: refund-approval
cases:
  - name: waits for ever
    input: {refundId: R-1, amount: 1}
    expect: {status: Succeeded}
`)
	rs := Run(context.Background(), l, []*File{f}, Options{Timeout: 200 * time.Millisecond})
	if rs[0].Status != Errored || !strings.Contains(rs[0].Err, "did not end within 200ms (--timeout)") || !strings.Contains(rs[0].Err, "--fast-wait") {
		t.Fatalf("result %s: %q", rs[0].Status, rs[0].Err)
	}
	page, err := l.ListExecutions(context.Background(), fnf.ListExecutionsRequest{FlowName: "refund-approval"})
	if err != nil || len(page.Executions) != 1 {
		t.Fatalf("executions %+v, %v", page.Executions, err)
	}
	ex, err := l.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "refund-approval", ExecutionName: page.Executions[0].Name, Wait: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Status != fnf.StatusStopped || ex.ErrorCode != "flowtui.TestStopped" || !strings.Contains(ex.ErrorMessage, "--timeout") {
		t.Errorf("the case's execution: %s %s %q; want Stopped by the test", ex.Status, ex.ErrorCode, ex.ErrorMessage)
	}
}

// A case that expects no status and no error expects success: a failed
// execution never passes because it was only timed or asserted on.
func TestACaseWithoutStatusOrErrorExpectsSuccess(t *testing.T) {
	f := parse(t, `flow: order-routing
cases:
  - name: timed only
    input: {orderId: A-1, total: 20, country: FR}
    expect: {maxDuration: 1m}
  - name: failure expected by its error
    input: {orderId: A-1, total: 20, country: FR}
    expect: {error: {code: Order.CountryNotServed}}
`)
	rs := Run(context.Background(), local(t), []*File{f}, Options{})
	if rs[0].Status != Failed || rs[0].Failures[0].Expect != "status" || !strings.Contains(rs[0].Failures[0].Reason, "want Succeeded") {
		t.Errorf("a failed execution with only maxDuration: %s %+v", rs[0].Status, rs[0].Failures)
	}
	if rs[1].Status != Passed {
		t.Errorf("a failure expected by its error code: %s %+v", rs[1].Status, rs[1].Failures)
	}
}

// The advice of a case past its time suggests --fast-wait only where it
// would help: a local run on the real clock.
func TestTheTimeoutAdviceFitsTheRun(t *testing.T) {
	if got := (&caseTimeout{d: time.Second, skip: true}).Error(); !strings.Contains(got, "--fast-wait") {
		t.Errorf("a local run on the real clock: %q", got)
	}
	if got := (&caseTimeout{d: time.Second}).Error(); strings.Contains(got, "--fast-wait") {
		t.Errorf("with --fast-wait, or on an endpoint: %q", got)
	}
}

// A case that could not run for several reasons (a definition's problems)
// shows each on a line of its own, not joined by a control picture.
func TestAnErrorOfSeveralLinesIsWrittenLineByLine(t *testing.T) {
	var b bytes.Buffer
	WriteText(&b, []*Result{{File: "f.test.yaml", Flow: "f", Case: "c", Line: 3, Status: Errored, Err: "cannot run: problems:\nf.yaml:1:1: one\nf.yaml:2:1: two"}}, time.Millisecond)
	want := "ERROR f/c (f.test.yaml:3): cannot run: problems:\n    f.yaml:1:1: one\n    f.yaml:2:1: two\n"
	if !strings.HasPrefix(b.String(), want) {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

// An empty status is refused like any unknown one, rather than read as no
// expectation.
func TestAnEmptyStatusIsRefused(t *testing.T) {
	got := parseErr(t, "flow: f\ncases:\n  - name: a\n    expect: {status: \"\"}\n")
	if !strings.Contains(got, `:4:22: status "": want one of`) {
		t.Errorf("an empty status: %s", got)
	}
}
