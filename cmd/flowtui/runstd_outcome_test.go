package main

import (
	"context"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// nightlyFlow is a Standard flow of the fake.
var nightlyFlow = fnftest.Flow{Name: "nightly", ExecutionMode: "Standard", Definition: "Type: StateMachine\nName: nightly\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n"}

// A start whose answer is lost says how to learn whether it started, with
// a command that asks the same endpoint: pasted as printed, it must not go
// to the default cloud region.
func TestAnUnknownStartOutcomeNamesACommandForTheSameEndpoint(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(nightlyFlow))
	srv.FailAfterNext("StartExecution", 1, 500, "InternalError", "lost")
	code, stdout, stderr := runCLI(t, "run", "nightly", "--endpoint", srv.URL, "--no-history")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "stderr", stderr, "outcome unknown", "flowtui executions list nightly --endpoint "+srv.URL)
	if strings.Contains(stderr, "Wait a moment and run again") || !strings.Contains(stderr, "before running it again") {
		t.Errorf("an unknown outcome is advised to run again, which may run the flow twice:\n%s", stderr)
	}
}

// Interrupted while starting a named execution: the name is known, so the
// command to learn whether it started shows that execution.
func TestAnInterruptedNamedStartNamesTheExecutionToLookUp(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(nightlyFlow))
	srv.HangNext("StartExecution", 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := cancelWhen(t, cancel, func() bool { return len(starts(srv)) > 0 })
	code, stdout, stderr := runCLIContext(t, ctx, "", "run", "nightly", "--name", "n1", "--endpoint", srv.URL, "--no-history")
	stop()
	if code == 0 {
		t.Fatalf("an interrupted start succeeded:\n%s%s", stdout, stderr)
	}
	wantContains(t, "stderr", stderr, "flowtui executions show nightly n1 --endpoint "+srv.URL)
	if strings.Contains(stderr, "executions list") {
		t.Errorf("a named start sends the user to the whole list:\n%s", stderr)
	}
}
