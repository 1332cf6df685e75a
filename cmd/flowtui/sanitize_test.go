package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
)

// hostile holds an escape sequence, a bidi override (Trojan Source), a C1
// CSI and a zero-width space: what a hostile flow file, service or history
// file could put in any string the command line prints.
const hostile = "x\x1b[2J\u202eevil\u009b31m\u200b"

func TestTheTraceCountsAttemptsFromOneAndEscapesEveryField(t *testing.T) {
	var buf bytes.Buffer
	printTrace(&buf, []fnf.Step{
		{State: "S" + hostile, Type: "Pass" + hostile, Output: `{"a":"` + hostile + `"}`, Attempt: 0, Duration: time.Millisecond},
		{State: "T", Type: "Task", Error: "E" + hostile, Attempt: 2, Duration: time.Millisecond},
	})
	out := buf.String()
	if err := terminalUnsafe(out); err != nil {
		t.Fatalf("trace is not safe on a terminal: %v\n%q", err, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and two steps:\n%s", out)
	}
	for i, want := range []string{"1", "3"} {
		if f := strings.Fields(lines[i+1]); len(f) < 3 || f[2] != want {
			t.Errorf("step %d: ATTEMPT = %q, want %s (attempts count from 1):\n%s", i+1, f, want, out)
		}
	}
	wantContains(t, "trace", out, `\u202e`, "^[", `\u009b`)
}

func TestRunTraceOfALocalRunCountsAttemptsFromOne(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "two.yaml", `Type: StateMachine
Name: two
SpecVersion: v1
StartAt: A
States:
  - Type: Pass
    Name: A
    Next: B
  - Type: Pass
    Name: B
    End: true
`)
	code, stdout, stderr := runCLI(t, "run", "two", "--flows", dir, "--no-history", "--input", `{}`, "--trace")
	wantCode(t, code, 0, stdout, stderr)
	n := 0
	for _, line := range strings.Split(stderr, "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[1] == "Pass" {
			n++
			if f[2] != "1" {
				t.Errorf("state %s: ATTEMPT %s, want 1:\n%s", f[0], f[2], stderr)
			}
		}
	}
	if n != 2 {
		t.Fatalf("want two Pass steps in the trace:\n%s", stderr)
	}
}

// A history file is data from outside too: another program, or an older
// flowtui, may have written anything in it.
func TestHistoryListAndShowEscapeEveryRecordedField(t *testing.T) {
	isolate(t)
	path := filepath.Join(t.TempDir(), "h.db")
	s, err := history.Open(context.Background(), history.Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	id, err := s.Add(context.Background(), history.Run{
		FlowName: "f" + hostile, Name: "n" + hostile, RequestedName: "n", Backend: "cloud" + hostile,
		Endpoint: "http://e" + hostile, Region: "r" + hostile, Profile: "p" + hostile, TestCase: "t" + hostile,
		Status: "Failed" + hostile, ErrorCode: "C" + hostile, ErrorMessage: "m" + hostile, RequestID: "q" + hostile,
		Input: `{"i":"` + hostile + `"}`, Output: `{"o":"` + hostile + `"}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, stdout, stderr := runCLI(t, "history", "--history", path)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history", stdout, `Failedx^[[2J\u202e`, `cloudx^[[2J\u202e`)
	code, stdout, stderr = runCLI(t, "history", "show", "--history", path, strconv.FormatInt(id, 10))
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, `\u202e`, `\u200b`)
	for _, args := range [][]string{{"history", "--json"}, {"history", "show", "--json", strconv.FormatInt(id, 10)}, {"history", "export"}} {
		code, stdout, stderr = runCLI(t, append(args, "--history", path)...)
		wantCode(t, code, 0, stdout, stderr)
		var v struct{ FlowName, ErrorMessage string }
		if err := json.Unmarshal([]byte(stdout), &v); err != nil {
			var list []struct{ FlowName, ErrorMessage string }
			if err := json.Unmarshal([]byte(stdout), &list); err != nil || len(list) != 1 {
				t.Fatalf("%v: not the JSON of one run: %v\n%s", args, err, stdout)
			}
			v = list[0]
		}
		if v.FlowName != "f"+hostile || v.ErrorMessage != "m"+hostile {
			t.Errorf("%v does not decode to the recorded values: %q", args, v)
		}
	}
}
