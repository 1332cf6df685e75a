package main

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/server"
)

// serve --help lists every action the server answers, Standard ones
// included, from the server's own list.
func TestServeHelpListsEveryActionServed(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "serve", "--help")
	wantCode(t, code, 0, stdout, stderr)
	help := strings.Join(strings.Fields(stdout), " ")
	for _, action := range server.Actions() {
		if !strings.Contains(help, action) {
			t.Errorf("serve --help does not list %s", action)
		}
	}
}

// The banner says --max-concurrent bounds synchronous runs, and the stop
// log counts the Standard executions that end with the server.
func TestServeBannerAndStopLogCountStandardExecutions(t *testing.T) {
	s, cli := serveE2E(t)
	for _, name := range []string{"h1", "h2"} {
		code, stdout, stderr := cli("run", "std-hold", "--no-wait", "--name", name, "--no-history")
		wantCode(t, code, 0, stdout, stderr)
	}
	code, stderr := s.stop()
	wantCode(t, code, 0, "", stderr)
	wantContains(t, "serve's stderr", stderr, "synchronous runs at once, Standard executions not counted",
		"stopping: 2 running Standard executions are stopped", "waiting up to 30s for 0 synchronous runs")
}
