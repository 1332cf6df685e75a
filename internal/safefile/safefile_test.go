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
	"time"
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

// What OpenAppend refuses must be refused at once: opening a pipe for
// writing waits for a reader otherwise.
func TestOpenAppendRefusesPipesAndDevicesAtOnce(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "debug.log")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	null, zero, fifoLink := filepath.Join(dir, "null.log"), filepath.Join(dir, "zero.log"), filepath.Join(dir, "fifo.log")
	os.Symlink("/dev/null", null)
	os.Symlink("/dev/zero", zero)
	os.Symlink(fifo, fifoLink)
	for _, path := range []string{fifo, fifoLink, null, zero, "/dev/null", dir} {
		done := make(chan error, 1)
		go func() {
			f, err := OpenAppend(path)
			if f != nil {
				f.Close()
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), path) {
				t.Errorf("OpenAppend(%s) = %v, want ErrNotRegular naming the file", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("OpenAppend(%s) blocks", path)
		}
	}
}

func TestOpenAppendCreatesThePrivateFileAndDirectoriesAndAppends(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "debug.log")
	for _, line := range []string{"one\n", "two\n"} {
		f, err := OpenAppend(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(line); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	if data, _ := os.ReadFile(path); string(data) != "one\ntwo\n" {
		t.Fatalf("content %q, want both lines appended", data)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v, want 0700", fi.Mode().Perm())
	}
}

func TestOpenRefusesAPipeWithoutWaitingForAWriter(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "history.db")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if _, err := Open(fifo); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("Open(fifo) = %v, want ErrNotRegular", err)
	}
	if _, err := Open("/dev/zero"); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("Open(/dev/zero) = %v, want ErrNotRegular", err)
	}
}

// A directory named relatively, or reached through a symbolic link, holds the
// same files as when named by its real absolute path: a link to one of them,
// absolute or relative, loads; a link out, direct or through "..", does not.
func TestReadInJudgesLinksTheSameWhateverFormTheDirectoryIsGivenIn(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h2 := filepath.Join(base, "h2")
	if err := os.Mkdir(h2, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(h2, "c.yaml"), []byte("c: 1"), 0o600)
	os.WriteFile(filepath.Join(base, "secret"), []byte("root:secret-hash"), 0o600)
	os.Symlink(h2, filepath.Join(base, "via"))
	os.Symlink(filepath.Join(h2, "c.yaml"), filepath.Join(h2, "abs.yaml"))
	os.Symlink(filepath.Join(base, "via", "c.yaml"), filepath.Join(h2, "absvia.yaml"))
	os.Symlink("c.yaml", filepath.Join(h2, "rel.yaml"))
	os.Symlink("../h2/c.yaml", filepath.Join(h2, "back.yaml"))
	os.Symlink(filepath.Join(base, "secret"), filepath.Join(h2, "out.yaml"))
	os.Symlink("../secret", filepath.Join(h2, "up.yaml"))
	t.Chdir(base)

	dirs := []string{"h2", "./h2", h2, "via", filepath.Join(base, "via"), filepath.Join("..", filepath.Base(base), "h2")}
	for _, dir := range dirs {
		for _, name := range []string{"c.yaml", "abs.yaml", "absvia.yaml", "rel.yaml", "back.yaml"} {
			if data, err := ReadIn(dir, name, 1<<20); err != nil || string(data) != "c: 1" {
				t.Errorf("ReadIn(%q, %q) = %q, %v; want the file inside", dir, name, data, err)
			}
		}
		for _, name := range []string{"out.yaml", "up.yaml"} {
			_, err := ReadIn(dir, name, 1<<20)
			if !errors.Is(err, ErrOutside) || strings.Contains(err.Error(), "secret") {
				t.Errorf("ReadIn(%q, %q) = %v; want ErrOutside without the target", dir, name, err)
			}
		}
	}
}
