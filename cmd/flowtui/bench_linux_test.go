//go:build linux

package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// On a terminal, a bench's progress is drawn on stderr as it runs, from its
// first moment, and erased before the summary: stdout holds the JSON alone,
// and the terminal shows no trace of the line.
func TestBenchShowsProgressOnATerminalAndErasesIt(t *testing.T) {
	isolate(t)
	t.Setenv("TERM", "xterm")
	master, slave := openPTY(t)
	raw := make(chan string, 1)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if err != nil { // the slave closed and everything was read
				raw <- b.String()
				return
			}
		}
	}()
	b := &benchBackend{kind: fnf.KindLocal, answer: func(context.Context, int) (*fnf.SyncResult, error) {
		time.Sleep(20 * time.Millisecond)
		return succeeded(), nil
	}}
	var out bytes.Buffer
	a := &app{io: stdio{in: strings.NewReader(""), out: &out, err: slave}, testBackend: b}
	code := a.main(context.Background(), []string{"bench", "f", "-n", "10", "--json"})
	slave.Close()
	var screen string
	select {
	case screen = <-raw:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal's output was not read")
	}
	if code != 0 {
		t.Fatalf("exit %d; terminal %q", code, screen)
	}
	if !regexp.MustCompile(`\rf: \d+/10 runs, 0 errors, [0-9.]+/s, 0s\x1b\[K`).MatchString(screen) {
		t.Errorf("no progress line drawn at the start: %q", screen)
	}
	if !strings.HasSuffix(screen, "\r\x1b[K") {
		t.Errorf("the progress line was not erased at the end: %q", screen)
	}
	if got := terminalLines(screen); strings.Join(got, "|") != "flowtui: bench f: 10 runs, 1 at once on local|" {
		t.Errorf("the terminal shows %q, want the start line and a clean line", got)
	}
	if s := out.String(); !strings.HasPrefix(s, "{") || strings.ContainsAny(s, "\r\x1b") {
		t.Errorf("stdout is not the JSON alone: %q", s)
	}
}
