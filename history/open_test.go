package history

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReopen: opening again keeps the runs and does not migrate twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	s := openTest(t, Options{Path: path})
	mustAdd(t, s, sampleRun("a", 1))
	s2 := openTest(t, Options{Path: path}) // while the first is open
	mustAdd(t, s2, sampleRun("a", 2))
	if n, err := s.Count(ctx); err != nil || n != 2 {
		t.Errorf("Count = %d, %v", n, err)
	}
	var version, appID, autoVacuum int
	if err := s2.db.QueryRow(`SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT application_id FROM pragma_application_id), (SELECT auto_vacuum FROM pragma_auto_vacuum)`).
		Scan(&version, &appID, &autoVacuum); err != nil {
		t.Fatal(err)
	}
	if version != schemaVersion || appID != applicationID || autoVacuum != 2 {
		t.Errorf("user_version %d, application_id %#x, auto_vacuum %d", version, appID, autoVacuum)
	}
}

// TestSQLiteCLIReads: the stock sqlite3 tool opens the file, lists runs and
// searches it, while flowtui has it open.
func TestSQLiteCLIReads(t *testing.T) {
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		t.Skip("no sqlite3 on PATH")
	}
	s := openTest(t, Options{})
	for i := range 3 {
		mustAdd(t, s, sampleRun("a", i))
	}
	out, err := exec.Command(bin, "-readonly", s.path,
		`SELECT count(*) FROM runs; SELECT rowid FROM runs_fts WHERE runs_fts MATCH '"A-2"'; PRAGMA integrity_check;`).CombinedOutput()
	if err != nil || string(out) != "3\n3\nok\n" {
		t.Errorf("sqlite3: %v\n%s", err, out)
	}
}

// TestConcurrentUse: goroutines of one process adding, listing, pinning
// and reading at once.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	const writers, each = 4, 25
	errs := make(chan error, writers*each*3)
	done := make(chan struct{})
	for w := range writers {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range each {
				id, err := s.Add(ctx, sampleRun(fmt.Sprintf("flow-%d", w), i))
				if err == nil {
					err = s.Pin(ctx, id, i%2 == 0)
				}
				if err == nil {
					_, err = s.Get(ctx, id)
				}
				if err == nil {
					_, err = s.List(ctx, Filter{Flow: fmt.Sprintf("flow-%d", w), Search: "paid"})
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for range writers {
		<-done
	}
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, err := s.Count(ctx); err != nil || n != writers*each {
		t.Errorf("Count = %d, %v; want %d", n, err, writers*each)
	}
	checkIntegrity(t, s)
}

// TestPathNeedingEscapes: the driver gets the path as a file: URI, so
// characters that mean something in URIs must survive.
func TestPathNeedingEscapes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with space", "h?i#s%20.db")
	s := openTest(t, Options{Path: path})
	mustAdd(t, s, sampleRun("a", 1))
	if s.Path() != path {
		t.Errorf("Path() = %q", s.Path())
	}
	if info, err := os.Stat(path); err != nil || info.Size() == 0 {
		t.Errorf("database not at %q: %v", path, err)
	}
}
