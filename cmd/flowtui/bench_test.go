package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
)

// benchBackend answers every StartSyncExecution with answer(n), n counting
// calls from 1; its only flow is an Express "f".
type benchBackend struct {
	kind   string
	mu     sync.Mutex
	calls  int
	answer func(ctx context.Context, n int) (*fnf.SyncResult, error)
}

func (b *benchBackend) ListFlows(context.Context) ([]fnf.Flow, error) {
	return []fnf.Flow{{Name: "f", ExecutionMode: fnf.ModeExpress}}, nil
}

func (b *benchBackend) DescribeFlow(_ context.Context, name string) (fnf.Flow, error) {
	return fnf.Flow{Name: name, ExecutionMode: fnf.ModeExpress}, nil
}

func (b *benchBackend) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	b.mu.Lock()
	b.calls++
	n := b.calls
	b.mu.Unlock()
	return b.answer(ctx, n)
}

func (b *benchBackend) Info() fnf.Info { return fnf.Info{Kind: b.kind} }

func (b *benchBackend) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls
}

func succeeded() *fnf.SyncResult {
	return &fnf.SyncResult{Execution: fnf.Execution{Status: fnf.StatusSucceeded,
		StartedTime: "2026-11-29T10:00:00.000Z", StoppedTime: "2026-11-29T10:00:00.020Z"}}
}

func TestBenchStopsAtAThrottlingStorm(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindCloud, answer: func(_ context.Context, n int) (*fnf.SyncResult, error) {
		if n <= 5 {
			return succeeded(), nil
		}
		return nil, &fnf.APIError{HTTPStatus: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control.", Action: "StartSyncExecution"}
	}}
	code, stdout, stderr := runWith(t, context.Background(), b, "bench", "f", "-n", "1000")
	wantCode(t, code, exitAPI, stdout, stderr)
	wantContains(t, "stderr", stderr, "throttling storm", "more than 25 of the last 50 calls were throttled", "lower --rate or -c")
	// 5 good calls, then the 26th throttled one stops it; nothing more is sent.
	wantContains(t, "stdout", stdout, "31 runs", "succeeded 5, errors 26", "26  Throttling.User", "stopped by throttling")
	if b.count() != 31 {
		t.Errorf("%d calls sent, want 31: the bench stops at the storm", b.count())
	}
}

// Ctrl-C stops the starts; the run under way ends within the grace and is
// counted; the summary and the history row cover what ran.
func TestBenchInterruptedPrintsWhatWasMeasured(t *testing.T) {
	isolate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := &benchBackend{kind: fnf.KindLocal, answer: func(ctx context.Context, n int) (*fnf.SyncResult, error) {
		if n == 4 { // Ctrl-C during the fourth call, which goes on to succeed
			cancel()
		}
		return succeeded(), nil
	}}
	code, stdout, stderr := runWith(t, ctx, b, "bench", "f", "-n", "100")
	wantCode(t, code, exitInterrupted, stdout, stderr)
	wantContains(t, "stdout", stdout, "4 runs", "stopped by interrupted", "round trip     4", "server     4  20.0ms")
	wantContains(t, "stderr", stderr, "interrupted after 4 runs: the summary covers those, the runs under way included")
	if b.count() != 4 {
		t.Errorf("%d calls sent, want 4: none starts after Ctrl-C", b.count())
	}

	code, stdout, stderr = runCLI(t, "history")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history", stdout, "bench Cancelled", "bench: 4 runs, 0 errors")
}

// Off a terminal (a pipe, a CI log) the bench draws no progress: stderr has
// its start line and nothing redrawn (runWith fails on a carriage return).
func TestBenchDrawsNoProgressOffATerminal(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindLocal, answer: func(context.Context, int) (*fnf.SyncResult, error) { return succeeded(), nil }}
	code, stdout, stderr := runWith(t, context.Background(), b, "bench", "f", "-n", "20", "--json")
	wantCode(t, code, 0, stdout, stderr)
	if want := "flowtui: bench f: 20 runs, 1 at once on local\n"; stderr != want {
		t.Errorf("stderr %q, want only %q", stderr, want)
	}
}

func TestBenchCloudRateIsCappedAtTheExpressQuota(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindCloud, answer: func(context.Context, int) (*fnf.SyncResult, error) { return succeeded(), nil }}
	code, stdout, stderr := runWith(t, context.Background(), b, "bench", "f", "--rate", "1500")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "at most 1000 Express starts a second")
	if b.count() != 0 {
		t.Fatalf("%d calls sent after bad usage, want none", b.count())
	}

	code, stdout, stderr = runWith(t, context.Background(), b, "bench", "f", "--test-case", "Declined")
	wantCode(t, code, exitUsage, stdout, stderr)
	wantContains(t, "stderr", stderr, "the cloud has none")
	if b.count() != 0 {
		t.Fatalf("%d calls sent after bad usage, want none", b.count())
	}

	code, stdout, stderr = runWith(t, context.Background(), b, "bench", "f", "-n", "3", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var got bench.Summary
	decodeStrict(t, stdout, &got)
	if got.Rate != 1000 || got.Runs != 3 || got.Stopped != "count" || got.ServerMs.P50 != 20 || got.HistoryId == 0 {
		t.Fatalf("bench --json against the cloud: %+v; want rate 1000, 3 runs, server p50 20ms, recorded", got)
	}
}

func TestBenchRefusesUnboundedOrBadFlags(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindLocal, answer: func(context.Context, int) (*fnf.SyncResult, error) { return succeeded(), nil }}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-n", "5", "--duration", "1s"}, "give one bound, not both"},
		{[]string{"-n", "0"}, "want a positive count"},
		{[]string{"--duration", "-1s"}, "want a positive duration"},
		{[]string{"-c", "0"}, "want 1 to 1000"},
		{[]string{"--rate", "-2"}, "want a positive rate"},
	} {
		code, stdout, stderr := runWith(t, context.Background(), b, append([]string{"bench", "f"}, tc.args...)...)
		wantCode(t, code, exitUsage, stdout, stderr)
		wantContains(t, strings.Join(tc.args, " "), stderr, tc.want)
	}
	if b.count() != 0 {
		t.Fatalf("%d calls sent after bad usage, want none", b.count())
	}
}

func TestBenchErrorCodesAreSanitised(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindLocal, answer: func(context.Context, int) (*fnf.SyncResult, error) {
		r := succeeded()
		r.Status, r.ErrorCode = fnf.StatusFailed, "Bad\x1b[31mCode"
		return r, nil
	}}
	// runWith fails the test on a control sequence in the output.
	code, stdout, stderr := runWith(t, context.Background(), b, "bench", "f", "-n", "4")
	wantCode(t, code, exitRunFailed, stdout, stderr)
	wantContains(t, "stdout", stdout, "succeeded 0, errors 4")
}

// A flow that waits a known time (Wait takes whole seconds), run through flowtui serve over loopback:
// the server duration is the wait, the round trip a little more.
func TestBenchAgainstServeMeasuresAKnownLatency(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "nap.yaml", "Type: StateMachine\nName: nap\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: 1\n    End: true\n")
	s := serveWithEnvKeys(t, "--flows", dir)
	code, stdout, stderr := runCLI(t, "--endpoint", s.url, "bench", "nap", "-n", "4", "-c", "4", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var got bench.Summary
	decodeStrict(t, stdout, &got)
	if got.Runs != 4 || got.Succeeded != 4 || got.Backend != "cloud" || got.Rate != 0 {
		t.Fatalf("bench against serve: %+v; want 4 runs succeeded on an endpoint without the cloud's rate", got)
	}
	if got.ServerMs.Count != 4 || got.ServerMs.P50 < 1000 || got.ServerMs.Max > 1500 {
		t.Errorf("server duration %+v, want the 1s wait", got.ServerMs)
	}
	// The server's times are whole milliseconds: its duration may pass the
	// real one by up to 1 ms.
	if got.RoundTripMs.P50 < got.ServerMs.P50-1 || got.RoundTripMs.Min < 1000 {
		t.Errorf("round trip %+v, want at least the server's %+v", got.RoundTripMs, got.ServerMs)
	}
	n := 0
	for _, b := range got.Histogram {
		n += b.Count
	}
	if n != 4 {
		t.Errorf("histogram holds %d runs, want 4: %+v", n, got.Histogram)
	}
}

func TestHistoryShowOfABenchPrintsItsFigures(t *testing.T) {
	isolate(t)
	b := &benchBackend{kind: fnf.KindLocal, answer: func(context.Context, int) (*fnf.SyncResult, error) { return succeeded(), nil }}
	code, stdout, stderr := runWith(t, context.Background(), b, "bench", "f", "-n", "5", "--input", `{"k":1}`)
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = runCLI(t, "history", "show", "1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "history show", stdout, "Status:    bench Succeeded", `"k": 1`, "bench f on local: 5 runs", "server     5  20.0ms", "histogram")
	if strings.Contains(stdout, "Round trip:") {
		t.Errorf("a bench row shows one run's round trip:\n%s", stdout)
	}
}
