package history

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sqlite "modernc.org/sqlite"
)

func TestPruneByCountOldestUnpinnedFirst(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxRuns: 1000})
	var all []int64
	for i := range 10 {
		all = append(all, mustAdd(t, s, sampleRun("a", i)))
	}
	for _, id := range []int64{all[0], all[2]} {
		if err := s.Pin(ctx, id, true); err != nil {
			t.Fatal(err)
		}
	}
	s.opts.MaxRuns = 5
	removed, err := s.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if removed != 5 {
		t.Errorf("Prune removed %d runs, want 5", removed)
	}
	got, _ := s.List(ctx, Filter{})
	// Pinned 1 and 3 stay; of the rest the oldest (2, 4, 5, 6, 7) go.
	if want := "[10 9 8 3 1]"; fmt.Sprint(ids(got)) != want {
		t.Errorf("after prune: %v, want %s", ids(got), want)
	}
	// Pinned runs are never pruned, even when they alone exceed the cap.
	s.opts.MaxRuns = 1
	if removed, err = s.Prune(ctx); err != nil || removed != 3 {
		t.Errorf("second Prune = %d, %v; want 3", removed, err)
	}
	got, _ = s.List(ctx, Filter{})
	if want := "[3 1]"; fmt.Sprint(ids(got)) != want {
		t.Errorf("after second prune: %v, want %s", ids(got), want)
	}
	if removed, err = s.Prune(ctx); err != nil || removed != 0 {
		t.Errorf("Prune with only pinned runs = %d, %v", removed, err)
	}
	// A run just added is kept even when only pinned runs are older.
	id := mustAdd(t, s, sampleRun("a", 11))
	if _, err := s.Get(ctx, id); err != nil {
		t.Errorf("run just added was pruned: %v", err)
	}
	checkIntegrity(t, s)
}

func TestAddKeepsCountCapWithBoundedWork(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxRuns: 100})
	for i := range 100 {
		mustAdd(t, s, sampleRun("a", i))
	}
	// Over the cap by far: one Add deletes at most pruneOnAdd runs.
	s.opts.MaxRuns = 50
	mustAdd(t, s, sampleRun("a", 100))
	if n, _ := s.Count(ctx); n != 101-pruneOnAdd {
		t.Errorf("Count = %d after one Add over the cap, want %d", n, 101-pruneOnAdd)
	}
	// At the cap, each Add replaces the oldest run.
	s.opts.MaxRuns = 101 - pruneOnAdd
	last := mustAdd(t, s, sampleRun("a", 101))
	got, _ := s.List(ctx, Filter{Limit: 1000})
	if len(got) != s.opts.MaxRuns || got[0].ID != last || got[len(got)-1].ID != pruneOnAdd+2 {
		t.Errorf("after Add at the cap: %d runs, newest %d, oldest %d", len(got), got[0].ID, got[len(got)-1].ID)
	}
	checkIntegrity(t, s)
}

func TestPruneByBytes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxRuns: 1_000_000})
	big := strings.Repeat("lorem ipsum dolor sit amet ", 400) // ~10 KiB a run
	var pinned int64
	for i := range 300 {
		r := sampleRun("a", i)
		r.Output = fmt.Sprintf(`{"text":%q}`, big)
		id := mustAdd(t, s, r)
		if i == 5 {
			pinned = id
			if err := s.Pin(ctx, id, true); err != nil {
				t.Fatal(err)
			}
		}
	}
	before := usedBytes(t, s)
	s.opts.MaxBytes = before / 2
	removed, err := s.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	after := usedBytes(t, s)
	if after > s.opts.MaxBytes {
		t.Errorf("after Prune %d bytes used, cap %d", after, s.opts.MaxBytes)
	}
	// Aiming just under the cap, not at an empty history.
	if removed < 100 || removed > 200 {
		t.Errorf("Prune removed %d of 300 runs to halve %d bytes", removed, before)
	}
	if _, err := s.Get(ctx, pinned); err != nil {
		t.Errorf("pinned run pruned: %v", err)
	}
	got, _ := s.List(ctx, Filter{Limit: 1000})
	if oldest := got[len(got)-2].ID; oldest != int64(removed)+2 {
		// +1 for ids starting at 1, +1 for the pinned run kept among the oldest.
		t.Errorf("oldest unpinned run left is %d after removing %d", oldest, removed)
	}
	// Incremental vacuum gave the pages back: the file shrank too.
	info, err := os.Stat(s.path)
	if err != nil {
		t.Fatal(err)
	}
	var pages int64
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	var free int64
	_ = s.db.QueryRow(`PRAGMA freelist_count`).Scan(&free)
	if free != 0 {
		t.Errorf("%d free pages left after Prune (file %d bytes)", free, info.Size())
	}
	checkIntegrity(t, s)
}

// TestAddKeepsByteCap adds runs to a full history: each Add frees about
// what it adds, so the pages in use stay at the cap without emptying it.
func TestAddKeepsByteCap(t *testing.T) {
	ctx := context.Background()
	const maxBytes = 512 << 10
	s := openTest(t, Options{MaxRuns: 1_000_000, MaxBytes: maxBytes})
	big := strings.Repeat("lorem ipsum dolor sit amet ", 400) // ~10 KiB a run
	minCount := 1 << 30
	for i := range 200 {
		r := sampleRun("a", i)
		r.Output = fmt.Sprintf(`{"text":%q,"i":%d}`, big, i)
		mustAdd(t, s, r)
		if used := usedBytes(t, s); used > maxBytes+maxBytes/50 {
			t.Fatalf("after %d adds %d bytes used, cap %d", i+1, used, maxBytes)
		}
		if n, _ := s.Count(ctx); i >= 100 {
			minCount = min(minCount, n)
		}
	}
	// About 35 such runs fit. Deleted runs leave tombstones in the full-text
	// index until its merges drop them, so the count saws between about 16
	// and 30; it must never drain.
	if minCount < 8 {
		t.Errorf("history fell to %d runs under a cap that holds about 35", minCount)
	}
	checkIntegrity(t, s)
}

func usedBytes(t testing.TB, s *Store) int64 {
	t.Helper()
	var used int64
	err := s.db.QueryRow(`SELECT ((SELECT page_count FROM pragma_page_count) - (SELECT freelist_count FROM pragma_freelist_count))
		* (SELECT page_size FROM pragma_page_size)`).Scan(&used)
	if err != nil {
		t.Fatal(err)
	}
	return used
}

func TestFileModes(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "state", "flowtui")
	s := openTest(t, Options{Path: filepath.Join(dir, "history.db")})
	mustAdd(t, s, sampleRun("a", 1))
	wantMode(t, dir, 0o700)
	wantMode(t, filepath.Dir(dir), 0o700)
	for _, p := range []string{s.path, s.path + "-wal", s.path + "-shm"} {
		wantMode(t, p, 0o600)
	}

	// An existing history left readable by others is tightened on open.
	path := s.path
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY, 0o644) // no O_TRUNC: the database stays
		if err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Chmod(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s2, err := Open(ctx, Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		wantMode(t, p, 0o600)
	}
	if n, err := s2.Count(ctx); err != nil || n != 1 {
		t.Errorf("Count after reopen = %d, %v", n, err)
	}
}

func wantMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Errorf("%s: mode %o, want %o", path, got, want)
	}
}

// TestListReadsNoBodies denies every read of run_bodies on the store's only
// connection: List, with or without a search, must still work, while Get
// (the control) must be refused.
func TestListReadsNoBodies(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	for i := range 5 {
		mustAdd(t, s, sampleRun("a", i))
	}
	s.db.SetMaxOpenConns(1)
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = conn.Raw(func(dc any) error {
		return dc.(sqlite.AuthorizerRegisterer).RegisterAuthorizer(
			func(action sqlite.AuthorizerActionCode, table, _, _, _ string) sqlite.AuthorizerReturnCode {
				if action == sqlite.AuthRead && table == "run_bodies" {
					return sqlite.AuthorizerDeny
				}
				return sqlite.AuthorizerOK
			})
	})
	conn.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []Filter{{}, {Flow: "a", Limit: 2}, {Search: "paid"}, {Search: "A-3", Flow: "a"}} {
		if got, err := s.List(ctx, f); err != nil || len(got) == 0 {
			t.Errorf("List(%+v) = %d runs, %v", f, len(got), err)
		}
	}
	if _, err := s.Get(ctx, 1); err == nil || !strings.Contains(err.Error(), "prohibited") {
		t.Errorf("Get with bodies denied = %v, want access prohibited", err)
	}
}
