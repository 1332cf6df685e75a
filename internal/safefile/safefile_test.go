//go:build unix

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestReadRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	zero := filepath.Join(dir, "zero.yaml")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{fifo, zero, "/dev/urandom", dir} {
		_, err := Read(path, 1<<20)
		if !errors.Is(err, ErrNotRegular) {
			t.Errorf("Read(%s) = %v, want ErrNotRegular", path, err)
			continue
		}
		if !strings.Contains(err.Error(), path) {
			t.Errorf("error %q does not name %s", err, path)
		}
	}
}

func TestReadRefusesAFileOverTheBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.json")
	if err := os.WriteFile(path, make([]byte, 1025), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Read(path, 1024)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "1 KiB") || !strings.Contains(err.Error(), path) {
		t.Fatalf("err = %v, want ErrTooLarge naming the file and 1 KiB", err)
	}
	if data, err := Read(path, 1025); err != nil || len(data) != 1025 {
		t.Fatalf("at the bound: %d bytes, %v", len(data), err)
	}
}

func TestReadOfAMissingFileIsNotExist(t *testing.T) {
	if _, err := Read(filepath.Join(t.TempDir(), "none"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestReadInRefusesLinksLeadingOutOfTheDirectory(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "shadow")
	if err := os.WriteFile(secret, []byte("root:secret-hash"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "real.yaml"), []byte("a: 1"), 0o600)
	os.Symlink(secret, filepath.Join(dir, "out.yaml"))
	os.Symlink("real.yaml", filepath.Join(dir, "in.yaml"))
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml"))

	_, err := ReadIn(dir, "out.yaml", 1<<20)
	if !errors.Is(err, ErrOutside) || strings.Contains(err.Error(), secret) {
		t.Fatalf("out.yaml: err = %v, want ErrOutside without the target", err)
	}
	if data, err := ReadIn(dir, "in.yaml", 1<<20); err != nil || string(data) != "a: 1" {
		t.Fatalf("a link inside the directory: %q, %v", data, err)
	}
	_, err = ReadIn(dir, "zero.yaml", 1<<20)
	if err == nil || !strings.Contains(err.Error(), "zero.yaml") {
		t.Fatalf("zero.yaml: err = %v, want a refusal naming the link", err)
	}
}
