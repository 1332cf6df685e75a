package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// evil sets the terminal title, clears the screen, opens a C1 CSI and
// reverses the rest of the line (a bidi override).
const evil = "\x1b]0;pwned\x07 \x1b[2J \u009b31m red \u202eder"

// evilOutput is valid JSON whose strings hold the same controls: escaped,
// and the C1 character raw (JSON allows it).
const evilOutput = `{"title":"\u001b]0;pwned\u0007","clear":"\u001b[2J","csi":"` + "\u009b" + `31m","rlo":"` + "\u202e" + `der"}`

// wantTerminalSafe fails when s holds ESC, BEL or a C1 control, and checks that
// the payload was shown escaped rather than dropped.
func wantTerminalSafe(t *testing.T, what, s string) {
	t.Helper()
	if i := strings.IndexAny(s, "\x1b\x07"); i >= 0 {
		t.Errorf("%s holds control byte %#x at %d:\n%q", what, s[i], i, s)
	}
	if err := terminalUnsafe(s); err != nil {
		t.Errorf("%s: %v:\n%q", what, err, s)
	}
	if !strings.Contains(s, "pwned") {
		t.Errorf("%s does not show the payload at all:\n%q", what, s)
	}
}

func evilFake(t *testing.T) *fnftest.Server {
	t.Helper()
	return newFake(t, fnftest.WithFlows(
		fnftest.Flow{Name: "evil_flow", ExecutionMode: "Express", Description: evil, Definition: "# " + evil + "\n" + demoDefinition},
		fnftest.Flow{Name: "evil\x1b[2J\u009bname", ExecutionMode: "Express", Description: "a name from the network"},
	))
}

func TestEscapeSequencesInFlowsAreNotPassedToTheTerminal(t *testing.T) {
	srv := evilFake(t)

	code, stdout, stderr := runCLI(t, "flows", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantTerminalSafe(t, "flows", stdout)
	wantContains(t, "flows", stdout, `\u009b`, "^[")

	code, stdout, stderr = runCLI(t, "flows", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantTerminalSafe(t, "flows --json", stdout)
	var flows []struct{ Name, Description string }
	if err := json.Unmarshal([]byte(stdout), &flows); err != nil {
		t.Fatalf("flows --json is not valid JSON: %v", err)
	}
	if len(flows) != 2 || flows[0].Description != evil || flows[1].Name != "evil\x1b[2J\u009bname" {
		t.Errorf("flows --json does not decode to the values the service sent: %q", flows)
	}
}

func TestEscapeSequencesInDescribeAreNotPassedToTheTerminal(t *testing.T) {
	srv := evilFake(t)

	code, stdout, stderr := runCLI(t, "describe", "evil_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantTerminalSafe(t, "describe", stdout)

	code, stdout, stderr = runCLI(t, "describe", "evil_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	wantTerminalSafe(t, "describe --json", stdout)
	var f struct{ Description, Definition string }
	if err := json.Unmarshal([]byte(stdout), &f); err != nil {
		t.Fatalf("describe --json is not valid JSON: %v", err)
	}
	if f.Description != evil || !strings.HasPrefix(f.Definition, "# "+evil) {
		t.Errorf("describe --json does not decode to the values the service sent: %q", f)
	}
}

func TestEscapeSequencesInRunOutputAreNotPassedToTheTerminal(t *testing.T) {
	for _, output := range []string{evilOutput, "not JSON: " + evil} {
		srv := evilFake(t)
		srv.OnStartSync(func(fnftest.SyncCall) fnftest.SyncReply { return fnftest.SyncReply{Output: output} })

		code, stdout, stderr := runCLI(t, "run", "evil_flow", "--endpoint", srv.URL)
		wantCode(t, code, 0, stdout, stderr)
		wantTerminalSafe(t, "run", stdout)

		code, stdout, stderr = runCLI(t, "run", "evil_flow", "--json", "--endpoint", srv.URL)
		wantCode(t, code, 0, stdout, stderr)
		wantTerminalSafe(t, "run --json", stdout)
		var r runOut
		decodeStrict(t, stdout, &r)
		if r.Output != output {
			t.Errorf("run --json Output = %q, want %q", r.Output, output)
		}
	}
}

func TestEscapeSequencesInRunErrorsAreNotPassedToTheTerminal(t *testing.T) {
	srv := evilFake(t)
	srv.OnStartSync(func(fnftest.SyncCall) fnftest.SyncReply {
		return fnftest.SyncReply{Status: "Failed", ErrorCode: "Evil\x1b[2J", ErrorMessage: evil}
	})

	code, stdout, stderr := runCLI(t, "run", "evil_flow", "--endpoint", srv.URL)
	wantCode(t, code, 1, stdout, stderr)
	wantTerminalSafe(t, "the run summary", stderr)

	code, stdout, stderr = runCLI(t, "run", "evil_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 1, stdout, stderr)
	wantTerminalSafe(t, "run --json", stdout)
}

func TestEscapeSequencesInAPIErrorsAreNotPassedToTheTerminal(t *testing.T) {
	srv := evilFake(t)
	srv.FailNextCode("DescribeFlow", 2, 400, "InvalidArgument", evil)
	srv.FailNext("StartSyncExecution", 1, 502, "<html>"+evil+"</html>")

	code, stdout, stderr := runCLI(t, "describe", "evil_flow", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantTerminalSafe(t, "the API error", stderr)

	code, stdout, stderr = runCLI(t, "describe", "evil_flow", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantTerminalSafe(t, "the API error as JSON", stdout)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Message != evil {
		t.Errorf("error JSON Message = %q, want %q", e.Error.Message, evil)
	}

	code, stdout, stderr = runCLI(t, "run", "evil_flow", "--endpoint", srv.URL)
	wantCode(t, code, 3, stdout, stderr)
	wantTerminalSafe(t, "the proxy error", stderr)
	wantContains(t, "the proxy error", stderr, "HTTP 502")
}
