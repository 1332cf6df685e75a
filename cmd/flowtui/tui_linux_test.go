//go:build linux

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal of 120×40: the TUI runs on its slave end,
// the test reads the screen from its master end.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("pty number: %v", err)
	}
	slave, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open pty slave: %v", err)
	}
	t.Cleanup(func() { slave.Close() })
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 120}); err != nil {
		t.Fatal(err)
	}
	return master, slave
}

// screenReader collects what the TUI writes, so that it never blocks on a
// full pty buffer.
type screenReader struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screenReader) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

func readScreen(master *os.File) *screenReader {
	s := &screenReader{}
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			s.mu.Lock()
			s.buf.Write(b[:n])
			s.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return s
}

// An interrupt (main cancels the context on SIGINT and SIGTERM) ends the TUI
// with exit 130, as the README says, with the terminal restored (cooked mode,
// main screen) and the history closed.
func TestAnInterruptedTUIExits130WithTheTerminalRestored(t *testing.T) {
	isolate(t)
	master, slave := openPTY(t)
	screen := readScreen(master)
	hist := filepath.Join(t.TempDir(), "history.db")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"--local", "--history", hist}, stdio{in: slave, out: slave, err: &errb})
	}()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(screen.String(), "Flows") {
		if time.Now().After(deadline) {
			t.Fatalf("the TUI did not draw; screen %q, stderr %q", screen.String(), errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	raw, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Lflag&unix.ICANON != 0 {
		t.Fatal("the TUI runs in cooked mode; the test cannot tell a restore")
	}

	cancel() // as signal.NotifyContext does on SIGINT or SIGTERM
	var code int
	select {
	case code = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the TUI did not end on the interrupt")
	}
	if code != 130 {
		t.Fatalf("exit %d, want 130; stderr %q", code, errb.String())
	}
	tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ICANON == 0 || tio.Lflag&unix.ECHO == 0 {
		t.Fatal("the terminal was left in raw mode")
	}
	time.Sleep(50 * time.Millisecond) // the last bytes reach the master
	if s := screen.String(); !strings.Contains(s, "\x1b[?1049l") {
		t.Fatalf("the TUI did not leave the alternate screen: ...%q", s[max(0, len(s)-200):])
	}
	// Closed: SQLite removes the write-ahead log when the last connection closes.
	if _, err := os.Stat(hist + "-wal"); !os.IsNotExist(err) {
		t.Fatalf("the history was not closed (its WAL remains): %v", err)
	}
}
