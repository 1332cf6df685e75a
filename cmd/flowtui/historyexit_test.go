package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestARunNotInTheHistoryExitsFourNotTheAPIErrorCode(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "h.db")
	runCLI(t, "run", "order-routing", "--local", "--history", db, "--input", `{"orderId":"A-1","total":20,"country":"CN"}`)
	for _, args := range [][]string{{"show", "99999"}, {"pin", "99999"}, {"unpin", "99999"}, {"delete", "99999"}} {
		code, stdout, stderr := runCLI(t, append(append([]string{"history"}, args...), "--history", db)...)
		wantCode(t, code, exitNotFound, stdout, stderr)
		wantContains(t, "stderr", stderr, "run 99999", "not found", "flowtui history")
	}
	code, stdout, stderr := runCLI(t, "history", "show", "1", "--history", db)
	wantCode(t, code, 0, stdout, stderr)
}

func TestAHistoryThatCannotBeOpenedExitsFive(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "h.db")
	if err := os.WriteFile(db, []byte("this is not a database, and it is long enough to be read as one"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "history", "show", "1", "--history", db)
	wantCode(t, code, exitHistory, stdout, stderr)
	wantContains(t, "stderr", stderr, "not a usable flowtui history")
}

// With --json, history's own errors come as {"Error":{…}} on stdout, with a
// code a script can test, like every other command's errors.
func TestHistoryJSONErrorsHaveTheErrorShapeAndACode(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "h.db")
	runCLI(t, "run", "order-routing", "--local", "--history", db, "--input", `{"orderId":"A-1","total":20,"country":"CN"}`)
	code, stdout, stderr := runCLI(t, "history", "show", "99999", "--json", "--history", db)
	wantCode(t, code, exitNotFound, stdout, stderr)
	var e errorOut
	decodeStrict(t, stdout, &e)
	if e.Error.Code != "flowtui.RunNotFound" || !strings.Contains(e.Error.Message, "run 99999") {
		t.Errorf("not found: %+v", e.Error)
	}

	bad := filepath.Join(t.TempDir(), "bad.db")
	if err := os.WriteFile(bad, []byte("this is not a database, and it is long enough to be read as one"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"history", "show", "1", "--json"}, {"history", "--json"}} {
		code, stdout, stderr = runCLI(t, append(args, "--history", bad)...)
		wantCode(t, code, exitHistory, stdout, stderr)
		e = errorOut{}
		decodeStrict(t, stdout, &e)
		if e.Error.Code != "flowtui.HistoryUnusable" || !strings.Contains(e.Error.Message, "not a usable flowtui history") {
			t.Errorf("%v: %+v", args, e.Error)
		}
	}
}
