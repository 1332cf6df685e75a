package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a buffer a running command writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// waitFor polls until out holds want, for at most 10 s.
func waitFor(t *testing.T, out *lockedBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q after 10 s:\n%s", want, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTestWatchRunsAgainOnChange(t *testing.T) {
	isolate(t)
	old := watchEvery
	watchEvery = 20 * time.Millisecond
	t.Cleanup(func() { watchEvery = old })
	dir := t.TempDir()
	path := writeFile(t, dir, "o.test.yaml", "flow: order-routing\ncases:\n  - name: a\n    input: {orderId: A, total: 1, country: CN}\n    expect: {status: Succeeded}\n")
	other := writeFile(t, dir, "p.test.yaml", "flow: price-list\ncases:\n  - name: b\n    input: {currency: CNY, lines: []}\n    expect: {status: Succeeded}\n")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb lockedBuffer
	done := make(chan int, 1)
	go func() {
		a := &app{io: stdio{in: strings.NewReader(""), out: &out, err: &errb}}
		done <- a.main(ctx, []string{"test", dir, "--watch"})
	}()
	waitFor(t, &out, "PASS: 2 passed")

	// Only the changed file's cases run again.
	time.Sleep(30 * time.Millisecond) // a modification time the first look did not see
	writeFile(t, dir, "o.test.yaml", "flow: order-routing\ncases:\n  - name: a\n    input: {orderId: A, total: 1, country: CN}\n    expect: {status: Failed}\n")
	waitFor(t, &out, path+" changed: running again")
	waitFor(t, &out, "FAIL: 0 passed, 1 failed")
	if strings.Count(out.String(), "price-list/b") != 1 {
		t.Errorf("the unchanged file ran again:\n%s", out.String())
	}
	// A bad file is reported and the watch goes on.
	writeFile(t, dir, "p.test.yaml", "flow: price-list\ncases: [{name: b, expect: {sttus: x}}]\n")
	waitFor(t, &errb, other+`:2:28: expect: unknown key "sttus"`)
	cancel()
	select {
	case code := <-done:
		if code != exitInterrupted {
			t.Errorf("exit %d, want %d", code, exitInterrupted)
		}
		if n := strings.Count(errb.String(), "interrupted: the watch ended"); n != 1 {
			t.Errorf("the end of the watch said %d times:\n%s", n, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("--watch did not end when interrupted")
	}
}

// An interrupt in the middle of a run says what became of the cases under
// way, not "context canceled".
func TestAnInterruptedTestRunSaysSo(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "r.test.yaml", "flow: refund-approval\ncases:\n  - name: slow\n    input: {refundId: R-1, amount: 1}\n    testCase: Approved\n    expect: {status: Succeeded}\n")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out, errb lockedBuffer
	a := &app{io: stdio{in: strings.NewReader(""), out: &out, err: &errb}}
	if code := a.main(ctx, []string{"test", dir}); code != exitInterrupted {
		t.Errorf("exit %d, want %d", code, exitInterrupted)
	}
	wantContains(t, "stderr", errb.String(), "interrupted: the cases under way were stopped")
	if strings.Contains(errb.String(), "context") {
		t.Errorf("stderr speaks of a context:\n%s", errb.String())
	}
}
