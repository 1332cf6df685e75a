//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// open opens path for reading without blocking: opening a named pipe for
// reading otherwise waits for a writer, forever. The flag matters only for
// pipes and devices, which the callers then refuse.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}

// openAppend opens path for appending, creating it with perm, without
// blocking: opening a named pipe for writing otherwise waits for a reader,
// and a terminal must not become the controlling one. (A pipe without a
// reader then fails with ENXIO.)
func openAppend(path string, perm os.FileMode) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND|syscall.O_NONBLOCK|syscall.O_NOCTTY, perm)
}

// blocking clears O_NONBLOCK on a regular file opened by open or
// openAppend, so that it behaves as any other file afterwards.
func blocking(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = syscall.SetNonblock(int(fd), false) }); err != nil {
		return err
	}
	return serr
}
