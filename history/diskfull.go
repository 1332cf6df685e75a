package history

import (
	"fmt"

	sqlite3 "modernc.org/sqlite/lib"
)

// DiskFullError: the file system holding the history is full, so the write
// did not happen (a run was not recorded).
type DiskFullError struct {
	Path string
	Op   string
	Err  error
}

func (e *DiskFullError) Error() string {
	return fmt.Sprintf("history %s: %s: the disk holding the history is full (%v): nothing was written; "+
		"free some space, lower the history caps, or choose another file with --history", e.Path, e.Op, e.Err)
}

func (e *DiskFullError) Unwrap() error { return e.Err }

// lowSpaceBytes: an I/O error on a file system with less room than this is
// taken for a full disk. SQLite reports a full disk as SQLITE_FULL only when
// it sees ENOSPC itself; growing the WAL index or writing pages fails with
// one of its I/O errors instead ("disk I/O error (4874)" is
// SQLITE_IOERR_SHMSIZE).
const lowSpaceBytes = 16 << 20

// diskFull reports whether the SQLite error code code, from the history at
// path, means that its disk is full.
func diskFull(code int, path string) bool {
	switch code & 0xff {
	case sqlite3.SQLITE_FULL:
		return true
	case sqlite3.SQLITE_IOERR:
		free, ok := freeBytes(path)
		return ok && free < lowSpaceBytes
	}
	return false
}
