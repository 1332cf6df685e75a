//go:build linux || darwin

package history

import (
	"path/filepath"

	"golang.org/x/sys/unix"
)

// freeBytes is the room left to an unprivileged writer on the file system
// holding path.
func freeBytes(path string) (uint64, bool) {
	var st unix.Statfs_t
	if unix.Statfs(filepath.Dir(path), &st) != nil {
		return 0, false
	}
	return uint64(st.Bavail) * uint64(st.Bsize), true
}
