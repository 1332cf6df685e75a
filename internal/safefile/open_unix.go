//go:build unix

package safefile

import (
	"os"
	"syscall"
)

// open opens path for reading without blocking: opening a named pipe for
// reading otherwise waits for a writer, forever. The flag matters only for
// pipes and devices, which Read then refuses.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
