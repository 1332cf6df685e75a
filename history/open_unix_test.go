//go:build unix

package history

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/flowtui/flowtui/internal/safefile"
)

// A database path, or a file SQLite keeps beside it, that is a pipe or a
// device is refused at once: opening a pipe blocks, reading a device never
// ends.
func TestOpenRefusesAPipeOrADeviceAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	null, zero := filepath.Join(dir, "null.db"), filepath.Join(dir, "zero.db")
	os.Symlink("/dev/null", null)
	os.Symlink("/dev/zero", zero)
	walled := filepath.Join(dir, "walled.db")
	if err := syscall.Mkfifo(walled+"-wal", 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, null, zero, walled} {
		done := make(chan error, 1)
		go func() {
			s, err := Open(context.Background(), Options{Path: path})
			if s != nil {
				s.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, safefile.ErrNotRegular) {
				t.Errorf("Open(%s) = %v, want ErrNotRegular", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Open(%s) blocks", path)
		}
	}
}
