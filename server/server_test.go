package server

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// blocker is the transport of HTTP:Request tasks in these tests: each request
// says it arrived, then waits for release (or for its run to be cancelled).
// Nothing leaves the process.
type blocker struct {
	entered   chan struct{}
	release   chan struct{}
	cancelled chan struct{}
}

func newBlocker() *blocker {
	return &blocker{entered: make(chan struct{}, 16), release: make(chan struct{}), cancelled: make(chan struct{}, 16)}
}

func (b *blocker) RoundTrip(r *http.Request) (*http.Response, error) {
	b.entered <- struct{}{}
	select {
	case <-b.release:
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: readCloser(`{"ok":true}`), Request: r}, nil
	case <-r.Context().Done():
		b.cancelled <- struct{}{}
		return nil, r.Context().Err()
	}
}

// waitFor fails the test if ch does not deliver within a generous bound, so
// that a broken test fails instead of hanging.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		var zero T
		return zero
	}
}

const slowFlowFile = "Name: slow\nExecutionMode: Express\nDefinition: |\n" +
	"  Type: StateMachine\n  Name: slow\n  SpecVersion: v1\n  StartAt: Call\n  States:\n" +
	"    - Type: Task\n      Name: Call\n      Action: HTTP:Request\n      Parameters:\n        url: http://backend.invalid/slow\n      End: true\n"

// slowServer serves a flow whose one Task blocks on b.
func slowOpts(t *testing.T, b *blocker) Config {
	opts := engineOpts(flowDir(t, map[string]string{"slow.yaml": slowFlowFile}))
	opts.HTTP = &http.Client{Transport: b}
	return Config{Local: opts}
}

type result struct {
	a   answer
	err error
}

// runAsync starts a StartSyncExecution of flow on another goroutine.
func (ts *testServer) runAsync(t *testing.T, flow string) <-chan result {
	req := ts.request(t, call{action: "StartSyncExecution", params: []string{"FlowName", flow}})
	done := make(chan result, 1)
	go func() {
		a, err := ts.try(req)
		done <- result{a, err}
	}()
	return done
}

func TestPastTheCapAnExecutionIsThrottledAtOnce(t *testing.T) {
	b := newBlocker()
	cfg := slowOpts(t, b)
	cfg.MaxConcurrent = 1
	ts := start(t, cfg)

	first := ts.runAsync(t, "slow")
	waitFor(t, b.entered, "the first run to reach its Task")
	if n := ts.Running(); n != 1 {
		t.Fatalf("%d executions running, want 1", n)
	}
	// The second is refused while the first runs, without waiting for it.
	wantError(t, ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "order-routing"}}),
		429, fnf.CodeResourceThrottled, "--max-concurrent")
	// Reads are not executions: they are never throttled.
	wantOK(t, ts.do(t, call{action: "DescribeFlow", params: []string{"Name", "slow"}}))

	close(b.release)
	r := waitFor(t, first, "the first run to end")
	if r.err != nil {
		t.Fatal(r.err)
	}
	wantOK(t, r.a)
	if fnf.Status(r.a.str("Status")) != fnf.StatusSucceeded {
		t.Fatalf("first run %s", r.a.raw)
	}
	wantOK(t, ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "order-routing"}}))
	if n := ts.Running(); n != 0 {
		t.Fatalf("%d executions running after all ended", n)
	}
}

func TestAnUpdateDoesNotChangeARunInFlight(t *testing.T) {
	b := newBlocker()
	ts := start(t, slowOpts(t, b))
	first := ts.runAsync(t, "slow")
	waitFor(t, b.entered, "the run to reach its Task")
	wantOK(t, ts.do(t, call{action: "DeleteFlow", params: []string{"Name", "slow"}}))
	close(b.release)
	r := waitFor(t, first, "the run to end")
	if r.err != nil || fnf.Status(r.a.str("Status")) != fnf.StatusSucceeded {
		t.Fatalf("a run of a flow deleted meanwhile: %v %s", r.err, r.a.raw)
	}
}

func TestARunWhoseClientLeavesIsCancelled(t *testing.T) {
	b := newBlocker()
	lines := lineChan(make(chan string, 16))
	cfg := slowOpts(t, b)
	cfg.Log = lines
	ts := start(t, cfg)
	ctx, leave := context.WithCancel(context.Background())
	req := ts.request(t, call{action: "StartSyncExecution", params: []string{"FlowName", "slow"}}).WithContext(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := ts.try(req)
		done <- err
	}()
	waitFor(t, b.entered, "the run to reach its Task")
	leave()
	waitFor(t, b.cancelled, "the run's Task to be cancelled")
	if err := waitFor(t, done, "the client to give up"); err == nil {
		t.Fatal("the client that left got an answer")
	}
	// The request is logged once its handler returns, after the run ended.
	if line := waitFor(t, lines, "the log line"); !strings.Contains(line, "flow=slow status=499 code=ClientGone") {
		t.Fatalf("log: %s", line)
	}
}

// lineChan hands each log line to the test as it is written.
type lineChan chan string

func (c lineChan) Write(p []byte) (int, error) {
	c <- string(p)
	return len(p), nil
}

// closeNotifier tells when Serve starts to shut down: it closes its listener.
type closeNotifier struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

// Close closes the listener before it tells, so that a test that heard of
// it finds the port closed.
func (l *closeNotifier) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

// serve runs s.Serve on a loopback listener; it returns the test server view,
// the listener and Serve's result.
func serve(t *testing.T, cfg Config, ctx context.Context) (*testServer, *closeNotifier, <-chan error) {
	t.Helper()
	ts := start(t, cfg) // for its request builder and client; Serve gets its own listener
	ln, served := ts.serve(t, ctx)
	return ts, ln, served
}

// serve runs ts.Server.Serve on a loopback listener of its own and points
// ts there; it returns the listener and Serve's result.
func (ts *testServer) serve(t *testing.T, ctx context.Context) (*closeNotifier, <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cn := &closeNotifier{Listener: ln, closed: make(chan struct{})}
	ts.URL, ts.host = "http://"+ln.Addr().String(), ln.Addr().String()
	ts.hc = &http.Client{Transport: &http.Transport{}}
	done := make(chan error, 1)
	go func() { done <- ts.Server.Serve(ctx, cn) }()
	return cn, done
}

func TestStoppingDrainsRequestsInFlight(t *testing.T) {
	b := newBlocker()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, ln, served := serve(t, slowOpts(t, b), ctx)

	first := ts.runAsync(t, "slow")
	waitFor(t, b.entered, "the run to reach its Task")
	stop()
	waitFor(t, ln.closed, "the server to stop listening")
	// Shutting down, the server still finishes what it began.
	close(b.release)
	r := waitFor(t, first, "the run to end")
	if r.err != nil || r.a.status != 200 || fnf.Status(r.a.str("Status")) != fnf.StatusSucceeded {
		t.Fatalf("a run in flight at shutdown: %v %s", r.err, r.a.raw)
	}
	if err := waitFor(t, served, "Serve to return"); err != nil {
		t.Fatalf("Serve: %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Fatal("the server still accepts connections after it stopped")
	}
}

func TestPastTheGraceRunsAreCancelled(t *testing.T) {
	b := newBlocker()
	cfg := slowOpts(t, b)
	cfg.ShutdownGrace = 50 * time.Millisecond
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, _, served := serve(t, cfg, ctx)

	first := ts.runAsync(t, "slow")
	waitFor(t, b.entered, "the run to reach its Task")
	stop()
	err := waitFor(t, served, "Serve to return")
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("Serve: %v, want an error saying requests were cancelled", err)
	}
	waitFor(t, b.cancelled, "the run's Task to be cancelled")
	r := waitFor(t, first, "the client to see the end")
	if r.err != nil {
		t.Fatalf("the cancelled run got no answer: %v", r.err)
	}
	wantError(t, r.a, http.StatusServiceUnavailable, CodeServiceUnavailable, "shutting down", "cancelled", "50ms")
}

// safeBuffer is a log sink that handlers write from many goroutines.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestOneLogLinePerRequestWithoutSecrets(t *testing.T) {
	var log safeBuffer
	ts := start(t, Config{Log: &log})
	ok := ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", `{"card":"4111-1111-1111-1111"}`}})
	bad := ts.do(t, call{action: "DescribeFlow", params: []string{"Name", "evil\nflow\x1b[31m"}})
	req := ts.request(t, call{action: "ListFlows", secret: "othersecret"})
	signature := req.URL.Query().Get("Signature")
	wrong, err := ts.try(req)
	if err != nil || signature == "" {
		t.Fatalf("%v, signature %q", err, signature)
	}

	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d log lines for 3 requests:\n%s", len(lines), log.String())
	}
	for i, want := range [][]string{
		{"StartSyncExecution", "flow=order-routing", "status=200", "latency=", "request_id=" + ok.str("RequestId")},
		{"DescribeFlow", `flow="evil\nflow\x1b[31m"`, "status=400", "code=InvalidArgument", "request_id=" + bad.str("RequestId")},
		{"ListFlows", "status=403", "code=SignatureNotMatch", "request_id=" + wrong.str("RequestId")},
	} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("log line %d does not hold %q: %s", i, w, lines[i])
			}
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", strings.Fields(lines[i])[0]); err != nil {
			t.Errorf("log line %d does not start with the time: %s", i, lines[i])
		}
	}
	for _, secret := range []string{testSecret, "othersecret", "4111-1111-1111-1111", signature, testKeyID} {
		if strings.Contains(log.String(), secret) {
			t.Errorf("the log shows %q:\n%s", secret, log.String())
		}
	}
}

func TestTheNonceCacheForgetsExpiredNoncesAndStaysBounded(t *testing.T) {
	c := newNonceCache(3)
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	exp := t0.Add(MaxSkew)
	if !c.use("a", exp, t0) || c.use("a", exp, t0) {
		t.Fatal("a nonce must be accepted once")
	}
	if c.use("a", exp, exp.Add(-time.Second)) {
		t.Fatal("a nonce was forgotten before its timestamp expired")
	}
	if !c.use("a", exp.Add(time.Minute), exp) {
		t.Fatal("a nonce was remembered past its timestamp's expiry")
	}
	for _, n := range []string{"b", "c", "d", "e"} {
		if !c.use(n, exp.Add(time.Hour), exp) {
			t.Fatalf("fresh nonce %s refused", n)
		}
	}
	if got := c.len(); got != 3 {
		t.Fatalf("%d nonces held, capacity 3", got)
	}
	if c.use("e", exp.Add(time.Hour), exp) || !c.use("a", exp.Add(time.Hour), exp) {
		t.Fatal("the newest must be remembered and the oldest forgotten first")
	}
}

func TestNewRefusesAConfigWithoutKeys(t *testing.T) {
	if _, err := New(Config{AccessKeyID: "id"}); err == nil || !strings.Contains(err.Error(), "secret") {
		t.Fatalf("New without a secret: %v", err)
	}
	if _, err := New(Config{AccessKeyID: "id", AccessKeySecret: "s", MaxConcurrent: -1}); err == nil {
		t.Fatal("New with a negative cap: no error")
	}
}
