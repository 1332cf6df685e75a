//go:build linux

package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The endpoint TUI: a Standard run followed, left to run (esc), ends, then
// q. The exit describes it: stderr says it ended, not that it goes on, and
// its history row has the end.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
func TestQuittingTheTUIAfterAnExecutionLeftRunningHasEndedSaysItEnded(t *testing.T) {
	// A Wait longer than the step in flight at esc (a 2 s long-poll): the
	// end comes when nothing looks at the execution any more.
	dir := t.TempDir()
	writeFile(t, dir, "std-wait3.yaml", "Name: std-wait3\nExecutionMode: Standard\nDefinition: |\n"+
		"  Type: StateMachine\n  Name: std-wait3\n  SpecVersion: v1\n  StartAt: S\n  States:\n"+
		"    - Type: Wait\n      Name: S\n      Seconds: 3\n      End: true\n")
	s := serveWithEnvKeys(t, "--flows", dir, "--quiet")
	master, slave := openPTY(t)
	screen := readScreen(master)
	hist := filepath.Join(t.TempDir(), "history.db")
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(context.Background(), []string{"--endpoint", s.url, "--history", hist}, stdio{in: slave, out: slave, err: &errb})
	}()
	waitFor := func(what string) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(screen.String(), what); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the TUI never showed %q; stderr %q", what, errb.String())
			}
		}
	}
	press := func(keys ...string) {
		for _, k := range keys {
			if _, err := master.WriteString(k); err != nil {
				t.Fatal(err)
			}
			time.Sleep(150 * time.Millisecond)
		}
	}
	waitFor("std-wait3")
	press("/", "std-wait3", "\r")    // search the flows, choose std-wait3
	press("\x12")                    // ctrl+r
	waitFor("following std-wait3 ·") // started, and followed
	press("\x1b")                    // esc: stop following
	waitFor("stopped following std-wait3")
	time.Sleep(3500 * time.Millisecond) // the execution's 3 s Wait ends
	press("q")
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d; stderr %q", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the TUI did not quit")
	}
	stderr := errb.String()
	if strings.Contains(stderr, "goes on") || !strings.Contains(stderr, "of std-wait3 has ended: Succeeded") {
		t.Errorf("stderr at exit = %q; want the execution said ended (Succeeded), not going on", stderr)
	}
	code, stdout, stderr := runCLI(t, "history", "--history", hist, "--json")
	wantCode(t, code, 0, stdout, stderr)
	if !strings.Contains(stdout, `"Status": "Succeeded"`) || strings.Contains(stdout, `"Status": "Running"`) {
		t.Errorf("the history row was not brought up to date:\n%s", stdout)
	}
}
