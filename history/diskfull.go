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

// diskFull reports whether the SQLite error code code means that the disk
// of the history is full; free tells the room left on it (the caller asks
// the file system only when the code leaves a doubt).
func diskFull(code int, free func() (uint64, bool)) bool {
	switch code & 0xff {
	case sqlite3.SQLITE_FULL:
		return true
	case sqlite3.SQLITE_IOERR:
		n, ok := free()
		return ok && n < lowSpaceBytes
	}
	return false
}
