package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestARunNotInTheHistoryExitsFourNotTheAPIErrorCode(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "h.db")
	runCLI(t, "run", "order-routing", "--local", "--history", db, "--input", `{"orderId":"A-1","total":20,"country":"CN"}`)
	for _, args := range [][]string{{"show", "99999"}, {"show", "99999", "--json"}, {"pin", "99999"}, {"unpin", "99999"}, {"delete", "99999"}} {
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
