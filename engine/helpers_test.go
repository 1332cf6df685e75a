package engine

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// flow builds a definition named "t" from a list of states written at column
// 0 ("- Type: Pass\n  Name: A\n  End: true"); they are indented under States.
func flow(startAt, states string) string {
	var b strings.Builder
	b.WriteString("Type: StateMachine\nName: t\nSpecVersion: v1\nStartAt: " + startAt + "\nStates:\n")
	for _, line := range strings.Split(strings.Trim(states, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

func mustParse(t testing.TB, src string) *Definition {
	t.Helper()
	def, err := Parse("flow.yaml", []byte(src))
	if err != nil {
		t.Fatalf("Parse: %v\n%s", err, src)
	}
	return def
}

func mustMocks(t testing.TB, src string) *Mocks {
	t.Helper()
	m, err := ParseMocks("mocks.yaml", []byte(src))
	if err != nil {
		t.Fatalf("ParseMocks: %v", err)
	}
	return m
}

// run parses src and runs it with r on input; the flow is named "t".
func run(t testing.TB, r *Runner, src, input string) *Result {
	t.Helper()
	return runCase(t, r, src, input, "")
}

func runCase(t testing.TB, r *Runner, src, input, testCase string) *Result {
	t.Helper()
	if r == nil {
		r = &Runner{}
	}
	res, err := r.Run(context.Background(), mustParse(t, src), RunRequest{Flow: "t", ExecutionName: "e1:0000", Input: input, TestCase: testCase})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return res
}

// wantOutput checks that the run succeeded with output equal (as JSON) to want.
func wantOutput(t testing.TB, res *Result, want string) {
	t.Helper()
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status = %s (%s: %s); want Succeeded", res.Status, res.ErrorCode, res.ErrorMessage)
	}
	if !jsonEqual(t, res.Output, want) {
		t.Errorf("Output = %s\nwant     %s", res.Output, want)
	}
}

// wantError checks that the run ended with status and code, and that the
// message mentions every one of parts.
func wantError(t testing.TB, res *Result, status fnf.Status, code string, parts ...string) {
	t.Helper()
	if res.Status != status || res.ErrorCode != code {
		t.Fatalf("Status, ErrorCode = %s, %q (%s); want %s, %q", res.Status, res.ErrorCode, res.ErrorMessage, status, code)
	}
	if res.Output != "" {
		t.Errorf("Output = %s; want none for a run that did not succeed", res.Output)
	}
	for _, p := range parts {
		if !strings.Contains(res.ErrorMessage, p) {
			t.Errorf("ErrorMessage %q does not mention %q", res.ErrorMessage, p)
		}
	}
}

func jsonEqual(t testing.TB, a, b string) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal([]byte(a), &va); err != nil {
		t.Fatalf("not JSON: %v: %s", err, a)
	}
	if err := json.Unmarshal([]byte(b), &vb); err != nil {
		t.Fatalf("bad expectation: %v: %s", err, b)
	}
	return reflect.DeepEqual(va, vb)
}

// stateNames lists the State of every trace step, in order.
func stateNames(res *Result) []string {
	var out []string
	for _, s := range res.Trace {
		out = append(out, s.State)
	}
	return out
}

func wantStates(t testing.TB, res *Result, want ...string) {
	t.Helper()
	if got := stateNames(res); !reflect.DeepEqual(got, want) {
		t.Errorf("trace states = %q; want %q", got, want)
	}
}

// problems returns the problems of a definition error, failing otherwise.
func problems(t testing.TB, err error) []Problem {
	t.Helper()
	var de *DefinitionError
	if !errors.As(err, &de) {
		t.Fatalf("error = %v (%T); want a *DefinitionError", err, err)
	}
	return de.Problems
}

// apiErr asserts err is a *fnf.APIError with code and HTTP status.
func apiErr(t testing.TB, err error, code string, status int) *fnf.APIError {
	t.Helper()
	var ae *fnf.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v (%T); want a *fnf.APIError %s", err, err, code)
	}
	if ae.Code != code || ae.HTTPStatus != status {
		t.Fatalf("APIError = %s HTTP %d (%s); want %s HTTP %d", ae.Code, ae.HTTPStatus, ae.Message, code, status)
	}
	return ae
}
