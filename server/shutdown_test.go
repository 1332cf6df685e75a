package server

import (
	"bufio"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// The code is checked by its value: it is the wire contract.
const (
	wantUnavailable   = "ServiceUnavailable"
	wantNotCarriedOut = "ServiceUnavailable.NotCarriedOut"
)

// TestEveryRequestInFlightAtShutdownGetsAWholeAnswer puts 60 runs in flight,
// stops the server with a short grace, and checks what each caller got: the
// 20 runs released during the grace their result, the 40 still waiting at its
// end a 503 ServiceUnavailable in the service's error body. None gets an
// empty answer or a closed connection. A request sent on a connection opened
// before the stop gets the same 503; a new connection is refused.
func TestEveryRequestInFlightAtShutdownGetsAWholeAnswer(t *testing.T) {
	const released, waiting = 20, 40
	b := &blocker{entered: make(chan struct{}, released), release: make(chan struct{}), cancelled: make(chan struct{}, released)}
	cfg := slowOpts(t, b)
	cfg.ShutdownGrace = time.Second
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	ts, ln, served := serve(t, cfg, ctx)
	ts.hc = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: released + waiting}, Timeout: 30 * time.Second}

	results := make(chan result, released+waiting)
	send := func(flow, input string) {
		req := ts.request(t, call{action: "StartSyncExecution", params: []string{"FlowName", flow, "Input", input}})
		go func() {
			a, err := ts.try(req)
			results <- result{a, err}
		}()
	}
	for range released {
		send("slow", "{}")
	}
	for range waiting {
		send("wait-then-go", `{"seconds":20}`)
	}
	for range released {
		waitFor(t, b.entered, "a run to reach its Task")
	}
	deadline := time.Now().Add(10 * time.Second)
	for ts.Running() < released+waiting {
		if time.Now().After(deadline) {
			t.Fatalf("%d runs in flight, want %d", ts.Running(), released+waiting)
		}
		time.Sleep(5 * time.Millisecond)
	}
	// Connected before the stop, used after it.
	early, err := net.Dial("tcp", ts.host)
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	// And a keep-alive connection, answered once and idle when the stop
	// begins, as a client's pool holds it.
	idle, err := net.Dial("tcp", ts.host)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	idle.SetDeadline(time.Now().Add(10 * time.Second))
	idleReader := bufio.NewReader(idle)
	first := ts.request(t, call{action: "DescribeFlow", params: []string{"Name", "slow"}})
	if err := first.Write(idle); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(idleReader, first); err != nil || resp.StatusCode != http.StatusOK || resp.Close {
		t.Fatalf("a keep-alive request before the stop: %v %v", resp, err)
	} else {
		readAnswer(t, resp)
	}

	stop()
	waitFor(t, ln.closed, "the server to stop listening")
	if c, err := net.DialTimeout("tcp", ts.host, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after the stop began")
	}
	late := ts.request(t, call{action: "DescribeFlow", params: []string{"Name", "slow"}})
	early.SetDeadline(time.Now().Add(10 * time.Second))
	if err := late.Write(early); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(bufio.NewReader(early), late); err != nil {
		t.Errorf("a request on an open connection after the stop: %v", err)
	} else {
		// Refused before it started: a code of its own says nothing ran.
		wantError(t, readAnswer(t, resp), http.StatusServiceUnavailable, wantNotCarriedOut, "shutting down", "not carried out")
		if !resp.Close {
			t.Error("the 503 does not close its connection")
		}
	}
	again := ts.request(t, call{action: "DescribeFlow", params: []string{"Name", "slow"}})
	if err := again.Write(idle); err != nil {
		t.Fatal(err)
	}
	if resp, err := http.ReadResponse(idleReader, again); err != nil {
		t.Errorf("a request on an idle keep-alive connection after the stop: %v", err)
	} else {
		wantError(t, readAnswer(t, resp), http.StatusServiceUnavailable, wantNotCarriedOut, "shutting down", "not carried out")
	}
	close(b.release)

	var ok, unavailable int
	for range released + waiting {
		r := waitFor(t, results, "a caller's answer")
		switch {
		case r.err != nil:
			t.Errorf("a caller got no answer: %v", r.err)
		case r.a.status == http.StatusOK && fnf.Status(r.a.str("Status")) == fnf.StatusSucceeded:
			ok++
		case r.a.status == http.StatusServiceUnavailable:
			wantError(t, r.a, http.StatusServiceUnavailable, wantUnavailable, "shutting down", "cancelled")
			unavailable++
		default:
			t.Errorf("answer %d: %s", r.a.status, r.a.raw)
		}
	}
	if unavailable < waiting {
		t.Errorf("%d answered 503, want at least the %d runs still waiting at the end of the grace", unavailable, waiting)
	}
	err = waitFor(t, served, "Serve to return")
	if err == nil || !strings.Contains(err.Error(), "in flight") || !strings.Contains(err.Error(), "503") {
		t.Fatalf("Serve: %v, want an error saying runs were cancelled and answered 503", err)
	}
	t.Logf("%d succeeded, %d answered 503; Serve: %v", ok, unavailable, err)
}

// readAnswer decodes a response read off a raw connection.
func readAnswer(t *testing.T, resp *http.Response) answer {
	t.Helper()
	defer resp.Body.Close()
	var raw strings.Builder
	if _, err := bufio.NewReader(resp.Body).WriteTo(&raw); err != nil {
		t.Fatalf("reading the answer: %v", err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: []byte(raw.String())}
	if err := json.Unmarshal(a.raw, &a.body); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", resp.StatusCode, err, a.raw)
	}
	return a
}
