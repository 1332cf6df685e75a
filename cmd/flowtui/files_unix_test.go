//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// runCLIWithin runs the command line and fails the test if it has not ended
// within d: a read of a pipe or a device never would.
func runCLIWithin(t *testing.T, d time.Duration, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		c, o, e := runCLI(t, args...)
		done <- result{c, o, e}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(d):
		t.Fatalf("flowtui %v has not ended after %s", args, d)
	}
	return 0, "", ""
}

func mkfifo(t *testing.T, path string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	return path
}

func TestFilesThatAreNotRegularFilesEndTheCommandWithAClearError(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	zero := filepath.Join(dir, "zero.json")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"mocks from a pipe", []string{"run", "builtin-tour", "--mocks", fifo}, []string{"--mocks", fifo, "not a regular file"}},
		{"mocks from /dev/zero", []string{"flows", "--mocks", zero}, []string{"--mocks", zero, "not a regular file"}},
		{"input from a pipe", []string{"run", "builtin-tour", "--local", "--input", "@" + fifo}, []string{"--input", fifo, "not a regular file"}},
		{"input from /dev/zero", []string{"run", "builtin-tour", "--local", "--input", "@" + zero}, []string{"--input", zero, "not a regular file"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolate(t)
			code, stdout, stderr := runCLIWithin(t, 10*time.Second, tc.args...)
			wantCode(t, code, 2, stdout, stderr)
			wantContains(t, "stderr", stderr, tc.want...)
		})
	}
}

func TestAConfigFileThatIsAPipeStopsARunAtOnce(t *testing.T) {
	home := isolate(t)
	path := mkfifo(t, filepath.Join(home, ".config", "flowtui", "config.yaml"))
	for _, args := range [][]string{{"run", "builtin-tour", "--local"}, {"history"}} {
		code, stdout, stderr := runCLIWithin(t, 10*time.Second, args...)
		wantCode(t, code, 2, stdout, stderr)
		wantContains(t, "stderr", stderr, path, "not a regular file")
	}
}

func TestAFlowsDirectoryWithPipesAndOutwardLinksIsListedAndServesNothingElse(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	writeFile(t, dir, "mine.yaml", "Type: StateMachine\nSpecVersion: v1\nName: mine\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n")
	mkfifo(t, filepath.Join(dir, "pipe.yaml"))
	os.Symlink("/dev/urandom", filepath.Join(dir, "random.yaml"))
	const secret = "root:$6$hash-that-must-stay-home"
	outside := writeFile(t, t.TempDir(), "shadow", secret)
	os.Symlink(outside, filepath.Join(dir, "shadow.yaml"))

	code, stdout, stderr := runCLIWithin(t, 10*time.Second, "flows", "--flows", dir)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "flows", stdout, "mine", "pipe", "not a regular file", "random", "shadow", "outside the directory")
	wantContains(t, "stderr", stderr, "3 flow files do not load")

	code, stdout, stderr = runCLIWithin(t, 10*time.Second, "describe", "shadow", "--flows", dir, "--json")
	wantCode(t, code, 0, stdout, stderr)
	wantNowhere(t, secret, t.TempDir(), stdout, stderr)
	wantNowhere(t, outside, t.TempDir(), stdout, stderr)

	code, stdout, stderr = runCLIWithin(t, 10*time.Second, "run", "mine", "--flows", dir, "--json")
	wantCode(t, code, 0, stdout, stderr)
	code, stdout, stderr = runCLIWithin(t, 10*time.Second, "run", "pipe", "--flows", dir)
	if code == 0 {
		t.Fatalf("a pipe ran as a flow:\n%s", stderr)
	}
	wantContains(t, "stderr", stderr, "pipe.yaml", "not a regular file")
}

// --debug and --history name files flowtui writes: a pipe, a device or a
// link to one ends the command at once with exit 2, naming the flag and the
// file, instead of blocking on the open or writing into a device.
func TestDebugAndHistoryTargetsThatAreNotRegularFilesAreRefusedAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := mkfifo(t, filepath.Join(dir, "pipe"))
	null, zero := filepath.Join(dir, "null"), filepath.Join(dir, "zero")
	os.Symlink("/dev/null", null)
	os.Symlink("/dev/zero", zero)
	for _, target := range []string{fifo, null, zero} {
		for _, tc := range []struct {
			flag string
			args []string
		}{
			{"--debug", []string{"flows", "--local"}},
			{"--debug", []string{"run", "builtin-tour", "--local", "--no-history"}},
			{"--history", []string{"history"}},
			{"--history", []string{"run", "builtin-tour", "--local"}},
			{"--history", []string{"history", "show", "1", "--json"}},
		} {
			t.Run(filepath.Base(target)+tc.flag+" "+tc.args[0], func(t *testing.T) {
				isolate(t)
				code, stdout, stderr := runCLIWithin(t, 10*time.Second, append(tc.args, tc.flag, target)...)
				wantCode(t, code, 2, stdout, stderr)
				wantContains(t, "stderr", stderr, tc.flag, target, "not a regular file")
			})
		}
	}
}
