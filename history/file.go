package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/flowtui/flowtui/internal/safefile"
)

// sqliteMagic opens every SQLite 3 database file.
const sqliteMagic = "SQLite format 3\x00"

// prepareFile creates the database file 0600 when missing, and checks an
// existing one from its header, in Go, before SQLite opens it: SQLite would
// write to a file it cannot use (switching it to WAL, leaving -wal and -shm
// beside it), and refused files must stay byte-for-byte as they were. It
// reports whether the file is new (empty).
func prepareFile(path string) (fresh bool, err error) {
	if err := checkCompanions(path); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		if err := f.Close(); err != nil {
			return false, fmt.Errorf("history %s: creating: %w", path, err)
		}
		return true, nil
	case !errors.Is(err, fs.ErrExist):
		return false, fmt.Errorf("history %s: creating: %w", path, err)
	}
	// A pipe or a device (or a link to one) is refused before SQLite opens
	// it: opening a pipe blocks, and reading a device never ends.
	f, err = safefile.Open(path)
	if errors.Is(err, safefile.ErrNotRegular) {
		return false, fmt.Errorf("history %w", err)
	}
	if err != nil {
		return false, fmt.Errorf("history %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false, fmt.Errorf("history %s: %w", path, err)
	}
	if info.Size() == 0 {
		// Created by us or a concurrent flowtui that has not written yet.
		tighten(path)
		return true, nil
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return false, &CorruptError{Path: path, Err: fmt.Errorf("%d bytes, too short for a SQLite header", info.Size())}
	}
	if err := checkHeader(path, h[:], info.Size()); err != nil {
		return false, err
	}
	tighten(path)
	return false, nil
}

// checkCompanions refuses the files SQLite keeps beside the database when
// one of them is not a regular file: SQLite would block reading it.
func checkCompanions(path string) error {
	for _, p := range []string{path + "-wal", path + "-shm", path + "-journal"} {
		if err := safefile.CheckExisting(p); err != nil {
			return fmt.Errorf("history %w (beside the database %s)", err, path)
		}
	}
	return nil
}

// checkHeader refuses, from the 100-byte database header
// (https://sqlite.org/fileformat.html#the_database_header), files that are
// not SQLite, are truncated, belong to another application or come from a
// newer flowtui. The header can be stale while a WAL holds newer pages, so
// migrate checks the version again through SQLite before writing.
func checkHeader(path string, h []byte, size int64) error {
	if string(h[:16]) != sqliteMagic {
		return &CorruptError{Path: path, Err: errors.New("not a SQLite database (no SQLite header)")}
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize&(pageSize-1) != 0 {
		return &CorruptError{Path: path, Err: fmt.Errorf("invalid page size %d in the SQLite header", pageSize)}
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	// The in-header size is only valid when its version-valid-for number
	// matches the change counter. Mid-checkpoint the file may be shorter than
	// the header says while the WAL still holds the pages, and the rollback
	// journal likewise; SQLite recovers those, so only judge a quiet file.
	if pages > 0 && binary.BigEndian.Uint32(h[92:96]) == binary.BigEndian.Uint32(h[24:28]) &&
		size < pages*pageSize && !nonEmpty(path+"-wal") && !nonEmpty(path+"-journal") {
		return &CorruptError{Path: path, Err: fmt.Errorf(
			"truncated: the header says %d pages of %d bytes (%d bytes), the file has %d bytes",
			pages, pageSize, pages*pageSize, size)}
	}
	version := int(int32(binary.BigEndian.Uint32(h[60:64])))
	appID := int(int32(binary.BigEndian.Uint32(h[68:72])))
	if appID != applicationID && (appID != 0 || version != 0 || pages > 1) {
		return &CorruptError{Path: path, Err: fmt.Errorf(
			"a SQLite database of another application (application_id %#x, user_version %d)", appID, version)}
	}
	if version > schemaVersion {
		return &TooNewError{Path: path, Version: version, Supported: schemaVersion}
	}
	return nil
}

func nonEmpty(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Size() > 0
}

// tighten takes group and other permissions off the database and the -wal
// and -shm files beside it: they hold flow inputs and outputs, and older
// builds or SQLite's defaults (0644 under the usual umask) may have made them
// readable. SQLite creates -wal and -shm with the database's mode, so a 0600
// database keeps them 0600. Best effort: a file we cannot chmod is not ours
// to fix, and opening still works.
func tighten(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if info, err := os.Stat(p); err == nil && info.Mode().Perm()&0o077 != 0 {
			_ = os.Chmod(p, info.Mode().Perm()&^0o077)
		}
	}
}
