package main

import (
	"strings"
	"testing"
)

// An unknown executions subcommand is bad usage (exit 2) naming it, as an
// unknown top-level command is, not the help with exit 0; the bare group
// still prints its help.
func TestExecutionsUnknownSubcommandExitsTwo(t *testing.T) {
	isolate(t)
	for _, sub := range []string{"bogus", "list-all"} {
		code, stdout, stderr := runWith(t, t.Context(), seeded(1), "executions", sub)
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, "stderr", stderr, `unknown command "`+sub+`"`, "flowtui executions", "list, report, show, stop")
		if strings.Contains(stdout, "Available Commands") {
			t.Errorf("executions %s printed the help:\n%s", sub, stdout)
		}
	}
	code, stdout, stderr := runWith(t, t.Context(), seeded(1), "executions")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "help", stdout+stderr, "Available Commands")
}
