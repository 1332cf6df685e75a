package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/flowtui/flowtui/flowtest"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// watchEvery is how often --watch looks at the files: polling keeps flowtui
// free of a file-notification dependency and works on every file system.
var watchEvery = 300 * time.Millisecond

// maxWatchedFiles bounds what --watch stats on every look.
const maxWatchedFiles = 10_000

// stamp is what a look sees of a file.
type stamp struct {
	mod  time.Time
	size int64
}

// watchTests runs the tests, then again on every change, until ctx ends.
func (a *app) watchTests(ctx context.Context, o testRun, paths []string) error {
	roots := slices.Clone(paths)
	if d := a.flowsDir(); d != "" {
		roots = append(roots, d)
	}
	if a.g.mocks != "" {
		roots = append(roots, a.g.mocks)
	}
	prev := look(roots)
	a.watchRun(ctx, o, paths, nil)
	t := time.NewTicker(watchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return &exitError{code: exitInterrupted, err: errors.New("interrupted: the watch ended")}
		case <-t.C:
		}
		cur := look(roots)
		changed := changes(prev, cur)
		prev = cur
		if len(changed) == 0 {
			continue
		}
		fmt.Fprintf(a.io.out, "\n%s changed: running again\n", sanitize.Line(strings.Join(changed, ", ")))
		a.watchRun(ctx, o, paths, affected(changed))
	}
}

// watchRun runs once and reports a failure without ending the watch.
func (a *app) watchRun(ctx context.Context, o testRun, paths []string, only map[string]bool) {
	err := a.testOnce(ctx, o, paths, only)
	// An interrupt ends the watch, which says so.
	if err != nil && !isPrinted(err) && ctx.Err() == nil {
		printError(a.io.err, err)
	}
}

func isPrinted(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.err == errPrinted
}

// affected are the test files to run for the changed paths: those test
// files alone, or every file (nil) when anything else changed (a flow, the
// mocks, an input file).
func affected(changed []string) map[string]bool {
	only := map[string]bool{}
	for _, p := range changed {
		if !strings.HasSuffix(p, flowtest.Suffix) {
			return nil
		}
		only[p] = true
	}
	return only
}

// look stamps the regular files under roots.
func look(roots []string) map[string]stamp {
	seen := map[string]stamp{}
	for _, r := range roots {
		filepath.WalkDir(r, func(p string, d fs.DirEntry, err error) error {
			if err != nil || len(seen) >= maxWatchedFiles {
				return filepath.SkipDir
			}
			if !d.Type().IsRegular() {
				return nil
			}
			if fi, err := d.Info(); err == nil {
				seen[p] = stamp{fi.ModTime(), fi.Size()}
			}
			return nil
		})
	}
	return seen
}

// changes lists the files added, removed or changed between two looks.
func changes(prev, cur map[string]stamp) []string {
	var out []string
	for p, s := range cur {
		if old, ok := prev[p]; !ok || old != s {
			out = append(out, p)
		}
	}
	for p := range prev {
		if _, ok := cur[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
