package history

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The multi-process tests run this test binary again as a writer process.
const (
	helperEnv     = "FLOWTUI_HISTORY_HELPER" // "writer" in the child
	helperPathEnv = "FLOWTUI_HISTORY_PATH"
	helperNEnv    = "FLOWTUI_HISTORY_N" // rows to write; 0: until killed
)

// TestHelperWriter is the child process: it opens the history, says
// "ready", waits for a line on stdin, then adds rows, printing
// "committed ID" after each Add has returned.
func TestHelperWriter(t *testing.T) {
	if os.Getenv(helperEnv) != "writer" {
		t.Skip("runs only as the child of the multi-process tests")
	}
	ctx := context.Background()
	n, _ := strconv.Atoi(os.Getenv(helperNEnv))
	s, err := Open(ctx, Options{Path: os.Getenv(helperPathEnv), MaxRuns: 1 << 30})
	if err != nil {
		t.Fatalf("child Open: %v", err)
	}
	defer s.Close()
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatalf("child: waiting for go: %v", err)
	}
	for i := 0; n == 0 || i < n; i++ {
		id, err := s.Add(ctx, sampleRun("child", i))
		if err != nil {
			t.Fatalf("child Add %d: %v", i, err)
		}
		fmt.Printf("committed %d\n", id)
	}
}

type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines *bufio.Scanner
	ids   []int64
	other []string // lines besides "committed", for failure reports
}

func startWriter(t *testing.T, path string, n int) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"=writer", helperPathEnv+"="+path, helperNEnv+"="+strconv.Itoa(n))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("child stderr:\n%s", stderr.String())
		}
	})
	return &child{cmd: cmd, stdin: stdin, lines: bufio.NewScanner(stdout)}
}

// next reads the child's next line, recording committed ids; false at EOF.
func (c *child) next(t *testing.T) (string, bool) {
	t.Helper()
	if !c.lines.Scan() {
		return "", false
	}
	line := c.lines.Text()
	if rest, ok := strings.CutPrefix(line, "committed "); ok {
		id, err := strconv.ParseInt(rest, 10, 64)
		if err != nil {
			t.Fatalf("child line %q", line)
		}
		c.ids = append(c.ids, id)
	} else {
		c.other = append(c.other, line)
	}
	return line, true
}

func (c *child) waitReady(t *testing.T) {
	t.Helper()
	for {
		line, ok := c.next(t)
		if !ok {
			t.Fatalf("child exited before it was ready:\n%s", strings.Join(c.other, "\n"))
		}
		if line == "ready" {
			return
		}
	}
}

// TestTwoProcessesWrite: this process and a child open a new file at the
// same moment and then add rows at the same time; no row is lost and no
// Add fails with "database is locked".
func TestTwoProcessesWrite(t *testing.T) {
	const n = 150
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	c := startWriter(t, path, n)
	s := openTest(t, Options{Path: path, MaxRuns: 1 << 30}) // racing the child's Open
	c.waitReady(t)
	if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	var mine []int64
	for i := range n {
		id, err := s.Add(ctx, sampleRun("parent", i))
		if err != nil {
			t.Fatalf("parent Add %d: %v", i, err)
		}
		mine = append(mine, id)
	}
	for {
		if _, ok := c.next(t); !ok {
			break
		}
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("child: %v", err)
	}
	if len(c.ids) != n {
		t.Fatalf("child committed %d rows, want %d", len(c.ids), n)
	}
	if got, err := s.Count(ctx); err != nil || got != 2*n {
		t.Fatalf("Count = %d, %v; want %d", got, err, 2*n)
	}
	for _, f := range []string{"parent", "child"} {
		if got, _ := s.List(ctx, Filter{Flow: f, Limit: 10 * n}); len(got) != n {
			t.Errorf("%d runs of %s, want %d", len(got), f, n)
		}
	}
	seen := map[int64]bool{}
	for _, id := range append(mine, c.ids...) {
		if seen[id] {
			t.Errorf("id %d given twice", id)
		}
		seen[id] = true
	}
	checkIntegrity(t, s)
}

// TestKilledWriter: a writer killed with SIGKILL mid-stream leaves a sound
// database holding every row it reported committed.
func TestKilledWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	c := startWriter(t, path, 0)
	c.waitReady(t)
	if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
		t.Fatal(err)
	}
	for len(c.ids) < 40 {
		if _, ok := c.next(t); !ok {
			t.Fatal("child exited early")
		}
	}
	if err := c.cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	for { // lines already written before the kill report commits too
		if _, ok := c.next(t); !ok {
			break
		}
	}
	_ = c.cmd.Wait()
	if state := c.cmd.ProcessState; state == nil || state.Success() {
		t.Fatalf("child was not killed: %v", state)
	}

	s := openTest(t, Options{Path: path})
	checkIntegrity(t, s)
	for _, id := range c.ids {
		if _, err := s.Get(ctx, id); err != nil {
			t.Errorf("committed run %d: %v", id, err)
		}
	}
	// The history stays writable.
	mustAdd(t, s, sampleRun("after", 1))
}

// snapshot reads the file and lists which companions exist beside it.
func snapshot(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var side []string
	for _, ext := range []string{"-wal", "-shm", "-journal"} {
		if _, err := os.Stat(path + ext); err == nil {
			side = append(side, ext)
		}
	}
	return fmt.Sprintf("%x %v", b, side)
}

func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestTooNewRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	s := openTest(t, Options{Path: path})
	mustAdd(t, s, sampleRun("a", 1))
	s.Close()
	db := rawDB(t, path)
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	db.Close() // the last connection checkpoints: the header holds 99
	before := snapshot(t, path)

	_, err := Open(ctx, Options{Path: path})
	var tn *TooNewError
	if !errors.As(err, &tn) || tn.Path != path || tn.Version != 99 || tn.Supported != schemaVersion {
		t.Fatalf("Open = %v, want TooNewError for %s version 99", err, path)
	}
	for _, want := range []string{path, "99", fmt.Sprintf("version %d", schemaVersion), "newer"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if snapshot(t, path) != before {
		t.Error("refused file was modified")
	}
}

// TestTooNewInWAL: the version is only in the WAL (another process still has
// the file open), so the header looks fine; SQLite's view is checked too.
func TestTooNewInWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	s := openTest(t, Options{Path: path})
	db := rawDB(t, path)
	defer db.Close()
	if _, err := db.Exec(`PRAGMA user_version = 7`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	main, _ := os.ReadFile(path)
	_, err := Open(ctx, Options{Path: path})
	var tn *TooNewError
	if !errors.As(err, &tn) || tn.Version != 7 {
		t.Fatalf("Open = %v, want TooNewError version 7", err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(main, after) {
		t.Error("database file was modified")
	}
}

func TestCorruptRefusedUntouched(t *testing.T) {
	ctx := context.Background()
	random := make([]byte, 8192)
	rand.Read(random)
	// A real history cut in half.
	full := filepath.Join(t.TempDir(), "full.db")
	s := openTest(t, Options{Path: full})
	for i := range 200 {
		mustAdd(t, s, sampleRun("a", i))
	}
	s.Close()
	whole, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"random bytes":    random,
		"text":            []byte("not a database\n"),
		"truncated":       whole[:len(whole)/2],
		"header only":     whole[:100],
		"garbage in page": append(append([]byte(nil), whole[:4096]...), random...),
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, path)
			st, err := Open(ctx, Options{Path: path})
			if err == nil {
				// Damage past the header only shows when pages are read.
				_, err = st.List(ctx, Filter{})
				st.Close()
			}
			var ce *CorruptError
			if !errors.As(err, &ce) || ce.Path != path || !strings.Contains(err.Error(), path) {
				t.Fatalf("got %v, want a CorruptError naming %s", err, path)
			}
			if snapshot(t, path) != before {
				t.Error("corrupt file was modified, or -wal/-shm created beside it")
			}
		})
	}
}

func TestForeignDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	db := rawDB(t, path)
	if _, err := db.Exec(`PRAGMA journal_mode = DELETE; CREATE TABLE notes (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before := snapshot(t, path)
	_, err := Open(context.Background(), Options{Path: path})
	var ce *CorruptError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "another application") {
		t.Fatalf("Open = %v, want CorruptError about another application", err)
	}
	if snapshot(t, path) != before {
		t.Error("foreign database was modified")
	}
}
