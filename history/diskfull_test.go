package history

import (
	"context"
	"errors"
	"strings"
	"testing"

	sqlite3 "modernc.org/sqlite/lib"
)

func TestAFullDiskSaysSoAndWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	kept := mustAdd(t, s, sampleRun("a", 1))
	// One connection, not allowed to grow the file: SQLite answers as on a
	// full disk.
	s.db.SetMaxOpenConns(1)
	s.db.SetMaxIdleConns(1)
	if _, err := s.db.ExecContext(ctx, `PRAGMA max_page_count = 1`); err != nil {
		t.Fatal(err)
	}
	big := sampleRun("a", 2)
	big.Input = `{"s":"` + strings.Repeat("x", 200_000) + `"}`
	_, err := s.Add(ctx, big)
	var df *DiskFullError
	if !errors.As(err, &df) {
		t.Fatalf("Add on a full disk: %v (%T); want *DiskFullError", err, err)
	}
	for _, want := range []string{"disk holding the history is full", "nothing was written", "free some space"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	runs, lerr := s.List(ctx, Filter{})
	if lerr != nil || len(runs) != 1 || runs[0].ID != kept {
		t.Errorf("after the failed Add: %v, %v; want only run %d", ids(runs), lerr, kept)
	}
}

func TestAnIOErrorOnAFileSystemWithNoRoomIsAFullDisk(t *testing.T) {
	for _, c := range []struct {
		free uint64
		want bool
	}{{0, true}, {4096, true}, {1 << 30, false}} {
		free := func() (uint64, bool) { return c.free, true }
		if got := diskFull(sqlite3.SQLITE_IOERR_SHMSIZE, free); got != c.want {
			t.Errorf("disk I/O error (4874) with %d bytes free: full = %v", c.free, got)
		}
	}
	if diskFull(sqlite3.SQLITE_BUSY, func() (uint64, bool) { return 0, true }) {
		t.Errorf("a busy database is not a full disk")
	}
}
