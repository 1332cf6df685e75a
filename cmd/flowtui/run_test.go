package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// expressFlow is the flow most run tests use.
var expressFlow = fnftest.WithFlows(fnftest.Flow{Name: "my_flow", ExecutionMode: "Express", Definition: demoDefinition})

// runOut is the `run --json` shape, field for field.
type runOut struct {
	RequestId, FlowName, Name, Status, ErrorCode, ErrorMessage, Output string
	StartedTime, StoppedTime                                           string
	DurationMs, LatencyMs                                              int64
	Backend                                                            string
	HistoryId                                                          int64
}

var uuidSuffix = regexp.MustCompile(`^exec1:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestRunPrintsPrettyOutputAndASummary(t *testing.T) {
	srv := newFake(t, expressFlow)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--input", `{"a":1}`, "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if stdout != "{\n  \"a\": 1\n}\n" {
		t.Errorf("stdout = %q, want the output pretty-printed", stdout)
	}
	if strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 {
		t.Errorf("the summary is not one line:\n%s", stderr)
	}
	wantContains(t, "the summary", stderr, "Succeeded", "my_flow")
	// The flow's mode decides which action starts it: DescribeFlow, then
	// exactly one StartSyncExecution for an Express flow.
	reqs := srv.Requests()
	if len(reqs) != 2 || reqs[0].Action != "DescribeFlow" || reqs[1].Action != "StartSyncExecution" ||
		reqs[1].Params.Get("Input") != `{"a":1}` || reqs[1].Params.Get("FlowName") != "my_flow" {
		t.Errorf("requests = %+v, want DescribeFlow then one StartSyncExecution of my_flow with the input", reqs)
	}
}

func TestRunJSONPrintsTheRunObject(t *testing.T) {
	srv := newFake(t, expressFlow)

	// Flags after the positional argument work too.
	code, stdout, stderr := runCLI(t, "run", "my_flow", "--json", "--input", `{"a":1}`, "--name", "exec1", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.RequestId == "" || r.FlowName != "my_flow" || r.Status != "Succeeded" || r.Output != `{"a":1}` ||
		r.Backend != "cloud" || r.HistoryId != 1 || r.ErrorCode != "" || r.ErrorMessage != "" {
		t.Errorf("run --json = %+v", r)
	}
	if !uuidSuffix.MatchString(r.Name) {
		t.Errorf("Name = %q, want exec1:<UUID>", r.Name)
	}
	if r.StartedTime == "" || r.StoppedTime == "" || r.DurationMs < 0 || r.LatencyMs < 0 {
		t.Errorf("times: started %q stopped %q duration %d latency %d", r.StartedTime, r.StoppedTime, r.DurationMs, r.LatencyMs)
	}
	if got := firstStart(t, srv).Params.Get("ExecutionName"); got != "exec1" {
		t.Errorf("ExecutionName sent = %q, want exec1", got)
	}
}

func TestRunReadsInputFromAFile(t *testing.T) {
	srv := newFake(t, expressFlow)
	path := writeFile(t, t.TempDir(), "in.json", "{\n  \"from\": \"file\"\n}\n")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--input", "@"+path, "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if got := firstStart(t, srv).Params.Get("Input"); got != "{\n  \"from\": \"file\"\n}" {
		t.Errorf("Input sent = %q", got)
	}
	wantContains(t, "stdout", stdout, `"from": "file"`)
}

func TestRunDropsTheByteOrderMarkOfAnInput(t *testing.T) {
	srv := newFake(t, expressFlow)
	path := writeFile(t, t.TempDir(), "in.json", "\xEF\xBB\xBF{\"from\": \"notepad\"}\r\n")

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--input", "@"+path, "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = runCLIStdin(t, "\xEF\xBB\xBF{\"from\": \"notepad\"}", "run", "my_flow", "--input", "-", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	for i, r := range starts(srv) {
		if got := r.Params.Get("Input"); got != `{"from": "notepad"}` {
			t.Errorf("run %d: Input sent = %q", i+1, got)
		}
	}
}

func TestRunReadsInputFromStdin(t *testing.T) {
	srv := newFake(t, expressFlow)

	code, stdout, stderr := runCLIStdin(t, `{"from":"stdin"}`+"\n", "run", "my_flow", "--input", "-", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if got := firstStart(t, srv).Params.Get("Input"); got != `{"from":"stdin"}` {
		t.Errorf("Input sent = %q", got)
	}
}

func TestRunWithoutInputSendsNone(t *testing.T) {
	srv := newFake(t, expressFlow)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	if p := firstStart(t, srv).Params; p.Has("Input") || p.Has("ExecutionName") {
		t.Errorf("params = %v, want neither Input nor ExecutionName", p)
	}
}

func TestRunThatEndsBadlyExitsOne(t *testing.T) {
	for _, status := range []string{"Failed", "TimedOut", "Stopped"} {
		t.Run(status, func(t *testing.T) {
			srv := newFake(t, expressFlow)
			srv.OnStartSync(func(fnftest.SyncCall) fnftest.SyncReply {
				return fnftest.SyncReply{Status: status, ErrorCode: "States.TaskFailed", ErrorMessage: "the task broke"}
			})

			code, stdout, stderr := runCLI(t, "run", "my_flow", "--endpoint", srv.URL)
			wantCode(t, code, 1, stdout, stderr)
			wantContains(t, "stderr", stderr, status, "States.TaskFailed", "the task broke")

			code, stdout, stderr = runCLI(t, "run", "my_flow", "--json", "--endpoint", srv.URL)
			wantCode(t, code, 1, stdout, stderr)
			var r runOut
			decodeStrict(t, stdout, &r)
			if r.Status != status || r.ErrorCode != "States.TaskFailed" || r.ErrorMessage != "the task broke" {
				t.Errorf("run --json = %+v", r)
			}
		})
	}
}

// A Standard flow is started with StartExecution and followed with
// DescribeExecution until it ends, against the cloud's API as the public
// reference describes it:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestRunOfAStandardFlowStartsAndFollowsIt(t *testing.T) {
	srv := newFake(t, fnftest.WithFlows(fnftest.Flow{Name: "std", ExecutionMode: "Standard"}))
	srv.OnStart(func(c fnftest.StartCall) fnftest.StartReply {
		return fnftest.StartReply{Status: "Succeeded", Output: c.Input}
	})

	code, stdout, stderr := runCLI(t, "run", "std", "--input", `{"a":1}`, "--name", "n1", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 0, stdout, stderr)
	var r runOut
	decodeStrict(t, stdout, &r)
	if r.Status != "Succeeded" || r.Name != "n1" || r.Output != `{"a":1}` || r.FlowName != "std" {
		t.Errorf("run --json = %+v", r)
	}
	if n := srv.Count("StartSyncExecution"); n != 0 {
		t.Errorf("%d StartSyncExecution calls for a Standard flow", n)
	}
	if s := firstStart(t, srv); s.Action != "StartExecution" || s.Params.Get("ExecutionName") != "n1" {
		t.Errorf("start = %s %v", s.Action, s.Params)
	}
}

// TestBadUsageExitsTwoAndSendsNothing covers everything refused before a call.
func TestBadUsageExitsTwoAndSendsNothing(t *testing.T) {
	dir := t.TempDir()
	badFile := writeFile(t, dir, "file.json", "{\n  \"a\": 1,\n  \"b\":}\n")
	big := writeFile(t, dir, "big.json", `{"pad":"`+strings.Repeat("x", 1<<20)+`"}`)
	missing := filepath.Join(dir, "absent.json")
	latin1 := writeFile(t, dir, "latin1.json", "{\n  \"city\": \"M\xfcnchen\"}")

	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"invalid JSON input", "", []string{"run", "my_flow", "--input", `{"a":}`}, []string{"--input:1:6", "invalid JSON"}},
		{"invalid JSON in a file", "", []string{"run", "my_flow", "--input", "@" + badFile}, []string{"file.json:3:7"}},
		{"invalid JSON on stdin", "{\n,", []string{"run", "my_flow", "--input", "-"}, []string{"stdin:2:1"}},
		{"input file missing", "", []string{"run", "my_flow", "--input", "@" + missing}, []string{"absent.json"}},
		{"input over 1 MiB", "", []string{"run", "my_flow", "--input", "@" + big}, []string{"big.json", "1 MiB"}},
		{"input over 1 MiB on stdin", `{"pad":"` + strings.Repeat("x", 1<<20) + `"}`, []string{"run", "my_flow", "--input", "-"}, []string{"stdin", "1 MiB"}},
		{"array input", "", []string{"run", "my_flow", "--input", `[1,2]`}, []string{"--input:1:1", "JSON object", "array"}},
		{"string input", "", []string{"run", "my_flow", "--input", ` "hi"`}, []string{"--input:1:2", "JSON object"}},
		{"execution name with a space", "", []string{"run", "my_flow", "--name", "bad name"}, []string{"--name", "bad name"}},
		{"execution name starting with a digit", "", []string{"run", "my_flow", "--name", "1abc"}, []string{"--name", "1abc"}},
		{"execution name too long", "", []string{"run", "my_flow", "--name", strings.Repeat("a", 129)}, []string{"129 characters"}},
		{"bad flow name to run", "", []string{"run", "bad/flow"}, []string{"bad/flow"}},
		{"bad flow name to describe", "", []string{"describe", "bad flow"}, []string{"bad flow"}},
		{"unknown flag", "", []string{"run", "my_flow", "--bogus"}, []string{"unknown flag", "--bogus", "flowtui --help"}},
		{"unknown command", "", []string{"launch"}, []string{"launch"}},
		{"missing flow argument", "", []string{"run"}, []string{"run needs one flow name"}},
		{"two flow arguments", "", []string{"describe", "a", "b"}, []string{"describe needs one flow name"}},
		{"argument to flows", "", []string{"flows", "extra"}, []string{"extra"}},
		{"negative timeout", "", []string{"run", "my_flow", "--timeout", "-1s"}, []string{"--timeout", "must be positive"}},
		{"zero timeout", "", []string{"run", "my_flow", "--timeout", "0"}, []string{"--timeout 0s", "must be positive"}},
		{"input not UTF-8", "", []string{"run", "my_flow", "--input", "{\"name\": \"caf\xe9\"}"}, []string{"--input:1:14", "invalid UTF-8", "0xE9"}},
		{"input file not UTF-8", "", []string{"run", "my_flow", "--input", "@" + latin1}, []string{"latin1.json:2:13", "invalid UTF-8"}},
		{"unknown signature", "", []string{"flows", "--signature", "v9"}, []string{"--signature", "v9"}},
		{"unknown signature on run", "", []string{"run", "my_flow", "--signature", "v9"}, []string{"--signature", "v9"}},
		{"ftp endpoint", "", []string{"describe", "my_flow", "--endpoint", "ftp://x"}, []string{"--endpoint", "http or https"}},
		{"region with a slash", "", []string{"flows", "--region", "a/b"}, []string{"--region", "a/b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newFake(t, expressFlow)
			args := tc.args
			if !strings.Contains(strings.Join(args, " "), "--endpoint") {
				args = append(args, "--endpoint", srv.URL)
			}
			code, stdout, stderr := runCLIStdin(t, tc.stdin, args...)
			wantCode(t, code, 2, stdout, stderr)
			wantContains(t, "stderr", stderr, tc.want...)
			if n := srv.Count(""); n != 0 {
				t.Errorf("%d requests were sent, want none", n)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestBadInputWithJSONIsStillExitTwo(t *testing.T) {
	srv := newFake(t, expressFlow)

	code, stdout, stderr := runCLI(t, "run", "my_flow", "--json", "--input", "{", "--endpoint", srv.URL)
	wantCode(t, code, 2, stdout, stderr)
	if srv.Count("") != 0 {
		t.Errorf("a request was sent")
	}
}
