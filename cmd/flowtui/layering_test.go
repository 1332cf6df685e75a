package main

import (
	"bufio"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Only the TUI and the program's wiring may import the TUI: the engine, the
// history, serve, flow tests, bench and the session sit below it, so that
// `flowtui serve`, `flowtui test` and `flowtui bench` build without the
// screen's packages, and a rule they share with the TUI (the terminal
// sanitiser, the JSON-aware diff, how a duration reads) lives below the TUI
// where both can reach it. Test files count too: a package's tests must not
// pull the TUI into its build either.
func TestNoPackageBelowTheUIImportsIt(t *testing.T) {
	root := moduleRoot(t)
	module := modulePath(t, root)
	ui := module + "/ui"
	fset := token.NewFileSet()
	seen := map[string]bool{} // directories with Go files, by slash path
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(rel)
		seen[dir] = true
		if dir == "ui" || strings.HasPrefix(dir, "ui/") || dir == "cmd" || strings.HasPrefix(dir, "cmd/") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return err
			}
			if p == ui || strings.HasPrefix(p, ui+"/") {
				pos := fset.Position(imp.Pos())
				file, _ := filepath.Rel(root, pos.Filename)
				t.Errorf("%s:%d imports %s: only ui/... and cmd/... may import the TUI; move what it needs below ui/ (see docs/ARCHITECTURE.md)", filepath.ToSlash(file), pos.Line, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading the repository under %s: %v", root, err)
	}
	// The walk must have seen both sides, or the test proves nothing.
	for _, dir := range []string{"session", "flowtest", "bench", "engine", "ui/render", "cmd/flowtui"} {
		if !seen[dir] {
			t.Fatalf("the walk from %s never reached %s/", root, dir)
		}
	}
}

// moduleRoot is the directory of go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// modulePath is the module line of root's go.mod.
func modulePath(t *testing.T, root string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(m), `"`)
		}
	}
	t.Fatalf("%s: no module line", filepath.Join(root, "go.mod"))
	return ""
}
