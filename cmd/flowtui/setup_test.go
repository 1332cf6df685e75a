package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// wantNowhere fails the test when secret shows in any output or in any file
// under dir (the history database and its journals).
func wantNowhere(t *testing.T, secret, dir string, outputs ...string) {
	t.Helper()
	for _, s := range outputs {
		if strings.Contains(s, secret) {
			t.Fatalf("the secret %q is shown:\n%s", secret, s)
		}
	}
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(path); bytes.Contains(data, []byte(secret)) {
				t.Errorf("the secret %q is stored in %s", secret, path)
			}
		}
		return nil
	})
}

// wantNoRunRecorded checks that the history holds no run.
func wantNoRunRecorded(t *testing.T) {
	t.Helper()
	code, stdout, stderr := runCLI(t, "history", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var list []map[string]any
	decodeStrict(t, stdout, &list)
	if len(list) != 0 {
		t.Fatalf("a configuration problem was recorded as a run: %s", stdout)
	}
	code, stdout, stderr = runCLI(t, "history", "export")
	wantCode(t, code, 0, stdout, stderr)
	if strings.TrimSpace(stdout) != "" {
		t.Fatalf("history export: %q", stdout)
	}
}

// setupCommands are the commands that resolve credentials, each of which must
// stop with exit 2 before sending anything.
var setupCommands = [][]string{
	{"run", "my_flow", "--input", `{"a":1}`},
	{"run", "my_flow", "--input", `{"a":1}`, "--json"},
	{"flows"}, {"flows", "--json"}, {"describe", "my_flow", "--json"},
}

func TestAMistypedFieldOfTheAliyunConfigNeverShowsItsSecret(t *testing.T) {
	home := isolate(t)
	srv := fnftest.New(t, expressFlow)
	const secret = "cfg-secret-7Qp2wXv9"
	writeFile(t, home, ".aliyun/config.json", `{
  "current": "dev",
  "profiles": [
    {"name": "dev", "mode": "AK", "access_key_id": 123, "access_key_secret": "`+secret+`", "region_id": "cn-hangzhou"}
  ]
}`)
	for _, args := range setupCommands {
		code, stdout, stderr := runCLI(t, append(args, "--endpoint", srv.URL)...)
		wantCode(t, code, 2, stdout, stderr)
		wantNowhere(t, secret, filepath.Join(home, ".local"), stdout, stderr)
		wantContains(t, "the error", stdout+stderr, "config.json:4:", "profiles.access_key_id", "must be a string, not a number")
		if strings.Contains(stdout+stderr, "outcome unknown") || strings.Contains(stdout+stderr, "server-side") {
			t.Errorf("flowtui %s: a set-up problem is called a run of unknown outcome:\n%s%s", args, stdout, stderr)
		}
		if strings.Contains(strings.Join(args, " "), "--json") && stdout != "" {
			var e errorOut
			decodeStrict(t, stdout, &e)
			if e.Error.Code != "InvalidConfiguration" {
				t.Errorf("--json error code %q", e.Error.Code)
			}
		}
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
	wantNoRunRecorded(t)
	wantNowhere(t, secret, filepath.Join(home, ".local"))
}

func TestALineOfTheCredentialsFileThatDoesNotParseIsNotQuoted(t *testing.T) {
	home := isolate(t)
	srv := fnftest.New(t, expressFlow)
	const secret = "ini-secret-4ZrT1kd"
	writeFile(t, home, ".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = abc\naccess_key_secret "+secret+"\n")
	for _, args := range setupCommands {
		code, stdout, stderr := runCLI(t, append(args, "--endpoint", srv.URL)...)
		wantCode(t, code, 2, stdout, stderr)
		wantNowhere(t, secret, filepath.Join(home, ".local"), stdout, stderr)
		wantContains(t, "the error", stdout+stderr, "credentials:4:1", "neither a [section] nor a key = value line")
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
	wantNoRunRecorded(t)
}

func TestCredentialsThatCannotBeHadAtRunTimeAreNoRun(t *testing.T) {
	home := isolate(t)
	srv := fnftest.New(t, expressFlow)
	// credentials-go reads the section only when the first call needs it.
	writeFile(t, home, ".alibabacloud/credentials", "[default]\ntype = access_key\naccess_key_id = abc\n")
	for _, args := range [][]string{{"run", "my_flow", "--json"}, {"run", "my_flow"}} {
		code, stdout, stderr := runCLI(t, append(args, "--endpoint", srv.URL)...)
		wantCode(t, code, 2, stdout, stderr)
		wantContains(t, "the error", stdout+stderr, "[default] in", "credentials", "nothing was sent")
		if strings.Contains(stdout+stderr, "outcome unknown") {
			t.Errorf("called a run of unknown outcome:\n%s%s", stdout, stderr)
		}
	}
	if n := srv.Count(""); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
	wantNoRunRecorded(t)
}

func TestAMistypedConfigYAMLStopsARunAndIsNotQuoted(t *testing.T) {
	home := isolate(t)
	const secret = "yaml-secret-Hn3"
	writeFile(t, home, ".config/flowtui/config.yaml", "theme: dark\nhistory:\n  max_runs: \""+secret+"\"\n  redact: [password]\n")
	for _, args := range [][]string{
		{"run", "builtin-tour", "--local"}, {"run", "builtin-tour", "--local", "--json"}, {"run", "builtin-tour", "--local", "--no-history"},
		{"history"}, {"history", "export"},
	} {
		code, stdout, stderr := runCLI(t, args...)
		wantCode(t, code, 2, stdout, stderr)
		// yaml quotes the first seven characters of a value it cannot use.
		wantNowhere(t, secret[:7], filepath.Join(home, ".local"), stdout, stderr)
		wantContains(t, "stderr", stderr, "config.yaml", "line 3: must be an integer, not a string")
	}
	os.Remove(filepath.Join(home, ".config/flowtui/config.yaml"))
	wantNoRunRecorded(t)
}

func TestConfigurationErrorsInJSONOutputAreObjects(t *testing.T) {
	home := isolate(t)
	srv := fnftest.New(t, expressFlow)
	writeFile(t, home, ".aliyun/config.json", `{"current": "dev", "profiles": [{"name": "dev", "expired_seconds": "3600"}]}`)
	code, stdout, stderr := runCLI(t, "flows", "--json", "--endpoint", srv.URL)
	wantCode(t, code, 2, stdout, stderr)
	if stdout != "" && !json.Valid([]byte(stdout)) {
		t.Fatalf("stdout is not JSON: %q", stdout)
	}
	wantContains(t, "the error", stdout+stderr, "profiles.expired_seconds", "must be an integer, not a string")
}
