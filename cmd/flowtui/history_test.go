package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEveryRunIsRecordedAndShownByHistory(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"run", "order-routing", "--local", "--input", `{"orderId":"A-1","total":20,"country":"CN"}`},
		{"run", "order-routing", "--local", "--input", `{"orderId":"A-2","total":20,"country":"US"}`},
		{"run", "wait-then-go", "--local", "--name", "x", "--input", `{"seconds":99}`},
	} {
		runCLI(t, args...)
	}
	code, stdout, stderr := runCLI(t, "history", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var list []map[string]any
	decodeStrict(t, stdout, &list)
	if len(list) != 3 {
		t.Fatalf("history has %d runs, want 3: %s", len(list), stdout)
	}
	if list[0]["FlowName"] != "wait-then-go" || list[0]["Status"] != "Failed" {
		t.Errorf("newest first: got %v", list[0])
	}
	if list[1]["ErrorCode"] != "Order.CountryNotServed" || list[2]["Status"] != "Succeeded" {
		t.Errorf("runs %v / %v", list[1], list[2])
	}

	code, stdout, stderr = runCLI(t, "history", "--flow", "order-routing", "--status", "Failed", "--json")
	wantCode(t, code, 0, stdout, stderr)
	decodeStrict(t, stdout, &list)
	if len(list) != 1 {
		t.Fatalf("filtered history: %s", stdout)
	}
	id := int64(list[0]["Id"].(float64))

	code, stdout, stderr = runCLI(t, "history", "show", jsonNum(id), "--json")
	wantCode(t, code, 0, stdout, stderr)
	var show map[string]any
	decodeStrict(t, stdout, &show)
	if !strings.Contains(show["Input"].(string), `"A-2"`) {
		t.Errorf("show: input %v", show["Input"])
	}

	code, stdout, stderr = runCLI(t, "history", "--search", "A-2", "--json")
	wantCode(t, code, 0, stdout, stderr)
	decodeStrict(t, stdout, &list)
	if len(list) != 1 || int64(list[0]["Id"].(float64)) != id {
		t.Errorf("search A-2: %s", stdout)
	}

	// Punctuation alone has no word to look up: refused, not a match of all.
	code, stdout, stderr = runCLI(t, "history", "--search", "%", "--json")
	wantCode(t, code, 2, stdout, stderr)
	if !strings.Contains(stderr, "no word to search for") {
		t.Errorf("search %%: %s", stderr)
	}

	code, stdout, stderr = runCLI(t, "history", "export")
	wantCode(t, code, 0, stdout, stderr)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 3 || !json.Valid([]byte(lines[0])) {
		t.Errorf("export: %q", stdout)
	}

	for _, args := range [][]string{{"history", "pin", jsonNum(id)}, {"history", "delete", jsonNum(id)}, {"history", "prune"}} {
		code, stdout, stderr = runCLI(t, args...)
		wantCode(t, code, 0, stdout, stderr)
	}
	code, stdout, stderr = runCLI(t, "history", "show", jsonNum(id))
	wantCode(t, code, exitNotFound, stdout, stderr)
	wantContains(t, "stderr", stderr, "not found")
}

func jsonNum(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

func TestNoHistoryRecordsNothing(t *testing.T) {
	home := isolate(t)
	code, stdout, stderr := runCLI(t, "run", "builtin-tour", "--local", "--no-history", "--json")
	wantCode(t, code, 0, stdout, stderr)
	if _, err := os.Stat(filepath.Join(home, ".local", "state", "flowtui", "history.db")); !os.IsNotExist(err) {
		t.Fatalf("a history file exists after --no-history: %v", err)
	}
	var r runJSON
	decodeStrict(t, stdout, &r)
	if r.HistoryId != 0 {
		t.Fatalf("HistoryId %d with --no-history", r.HistoryId)
	}
}

func TestAnUnusableHistoryDoesNotStopARun(t *testing.T) {
	isolate(t)
	bad := filepath.Join(t.TempDir(), "history.db")
	if err := os.WriteFile(bad, []byte("this is not a database, and it must stay as it is"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "run", "builtin-tour", "--local", "--history", bad)
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, bad, "not be recorded")
	if data, _ := os.ReadFile(bad); string(data) != "this is not a database, and it must stay as it is" {
		t.Fatal("the unusable history file was changed")
	}
}

func TestHistoryArgumentsAreChecked(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"history", "show", "abc"}, {"history", "show"}, {"history", "--since", "yesterday-ish"},
		{"history", "--limit", "-1"}, {"history", "--no-history"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		wantCode(t, code, 2, stdout, stderr)
	}
}

func TestHistoryFiltersSayWhenNothingMatchesAndCheckTheStatus(t *testing.T) {
	isolate(t)
	runCLI(t, "run", "builtin-tour", "--local")
	code, stdout, stderr := runCLI(t, "history", "--status", "failed")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stderr", stderr, "no runs match")
	code, stdout, stderr = runCLI(t, "history", "--status", "succeeded", "--json")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, `"Status": "Succeeded"`)
	code, stdout, stderr = runCLI(t, "history", "--status", "bogus")
	wantCode(t, code, 2, stdout, stderr)
	wantContains(t, "stderr", stderr, "Succeeded, Failed")
}

func TestHistoryShowSaysWhenARunHasNoOutput(t *testing.T) {
	isolate(t)
	runCLI(t, "run", "order-routing", "--local", "--input", `{"country":"US"}`)
	code, stdout, stderr := runCLI(t, "history", "show", "1")
	wantCode(t, code, 0, stdout, stderr)
	wantContains(t, "stdout", stdout, "Output:\n(none)")
}

func TestAnExplicitlyEmptyInputIsNotReplacedByTheSample(t *testing.T) {
	isolate(t)
	code, stdout, stderr := runCLI(t, "run", "order-routing", "--local", "--input", "")
	wantCode(t, code, 1, stdout, stderr) // no country: routed to the Fail state
	if strings.Contains(stderr, "sample input") {
		t.Fatalf("an explicit empty --input was replaced: %s", stderr)
	}
}
