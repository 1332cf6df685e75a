package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/flowtui/flowtui/client/fnftest"
	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// secrets are the key secrets and tokens the tests use: no command may print them.
var secrets = []string{fnftest.DefaultSecret, "othersecret", "sts-token-value"}

// TestMain points the HTTP proxy at a closed loopback port before any client
// reads it (net/http caches the proxy settings once per process). Requests to
// the fake on 127.0.0.1 bypass proxies; a test that forgot --endpoint fails
// against the dead proxy instead of reaching a real Alibaba Cloud host.
// runMainEnv makes the test binary run flowtui's main (TestMain), for a
// test that signals flowtui as a user's terminal would.
const runMainEnv = "FLOWTUI_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main() // a test's child process: flowtui itself, as a user runs it (signals included)
	}
	for _, k := range []string{"HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy"} {
		os.Setenv(k, "http://127.0.0.1:9")
	}
	for _, k := range []string{"NO_PROXY", "no_proxy"} {
		os.Unsetenv(k)
	}
	os.Exit(m.Run())
}

// isolate gives the test an empty HOME and no Alibaba Cloud settings from the
// environment, so that credentials come only from what the test sets up.
func isolate(t *testing.T) (home string) {
	t.Helper()
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, ".local", "state"))
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	for _, k := range []string{
		"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABA_CLOUD_SECURITY_TOKEN",
		"ALIBABA_CLOUD_PROFILE", "ALIBABA_CLOUD_REGION_ID", "ALIBABA_CLOUD_CONFIG_FILE",
		"ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_IGNORE_PROFILE", "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
	} {
		t.Setenv(k, "")
	}
	return home
}

// envKeys puts the fake's default key pair in the environment.
func envKeys(t *testing.T) {
	t.Helper()
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", fnftest.DefaultAccessKeyID)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", fnftest.DefaultSecret)
}

// newFake isolates the environment, sets the default key pair in it and starts
// a fake fnf endpoint.
func newFake(t *testing.T, opts ...fnftest.Option) *fnftest.Server {
	t.Helper()
	isolate(t)
	envKeys(t)
	return fnftest.New(t, opts...)
}

// runCLI runs the command line with empty stdin.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIContext(t, context.Background(), "", args...)
}

// runCLIStdin runs the command line with stdin.
func runCLIStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runCLIContext(t, context.Background(), stdin, args...)
}

// runCLIContext runs the command line under ctx. Whatever the command, its
// output must never hold a secret or a terminal control sequence.
func runCLIContext(t *testing.T, ctx context.Context, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, stdio{in: strings.NewReader(stdin), out: &out, err: &errb})
	stdout, stderr = out.String(), errb.String()
	checkOutput(t, args, stdout, stderr)
	return code, stdout, stderr
}

// runWith runs the command line under ctx with b as the backend of every
// command (app.testBackend), and checks its output as runCLIContext does.
func runWith(t *testing.T, ctx context.Context, b fnf.Backend, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	a := &app{io: stdio{in: strings.NewReader(""), out: &out, err: &errb}, testBackend: b}
	code = a.main(ctx, args)
	stdout, stderr = out.String(), errb.String()
	checkOutput(t, args, stdout, stderr)
	return code, stdout, stderr
}

// checkOutput fails the test when a command's output holds a secret or a
// terminal control sequence.
func checkOutput(t *testing.T, args []string, stdout, stderr string) {
	t.Helper()
	for name, s := range map[string]string{"stdout": stdout, "stderr": stderr} {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("flowtui %s: %s shows the secret %q:\n%s", strings.Join(args, " "), name, secret, s)
			}
		}
		if err := terminalUnsafe(s); err != nil {
			t.Errorf("flowtui %s: %s is not safe on a terminal: %v\n%q", strings.Join(args, " "), name, err, s)
		}
	}
}

// terminalUnsafe reports the first ESC, BEL, other C0 control (but \n and \t),
// DEL, C1 control (as a character or a raw byte), bidi control or invisible
// format character in s.
func terminalUnsafe(s string) error {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			return fmt.Errorf("raw byte %#x at %d", s[i], i)
		case r < 0x20 && r != '\n' && r != '\t', r == 0x7f, r >= 0x80 && r <= 0x9f:
			return fmt.Errorf("control character %U at %d", r, i)
		}
		i += size
	}
	// Bidi and invisible format characters reorder or hide what a line
	// shows: the sanitiser's own verdict decides.
	if !sanitize.Clean(s) {
		for i, r := range s {
			if !sanitize.Clean(string(r)) {
				return fmt.Errorf("character %U at %d", r, i)
			}
		}
	}
	return nil
}

// wantCode fails the test when code is not want, showing the output.
func wantCode(t *testing.T, code, want int, stdout, stderr string) {
	t.Helper()
	if code != want {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, want, stdout, stderr)
	}
}

// wantContains fails the test unless s holds every one of subs.
func wantContains(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s does not mention %q:\n%s", what, sub, s)
		}
	}
}

// decodeStrict decodes exactly one JSON value from s into v, refusing unknown
// fields and trailing data.
func decodeStrict(t *testing.T, s string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not the expected JSON: %v\n%s", err, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout has more than one JSON value:\n%s", s)
	}
}

// errorOut is the --json shape of an error.
type errorOut struct {
	Error struct {
		Code       string
		Message    string
		RequestId  string
		HttpStatus int
	}
}

// writeFile writes a file under dir and returns its path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// cancelWhen calls cancel once cond holds, polling briefly, and gives up (and
// fails the test) after a generous bound so that a broken test cannot hang. The
// returned stop ends the polling; call it before the test returns.
func cancelWhen(t *testing.T, cancel func(), cond func() bool) (stop func()) {
	t.Helper()
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		defer cancel()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		for range 5000 {
			if cond() {
				return
			}
			select {
			case <-tick.C:
			case <-done:
				return
			}
		}
		t.Error("the condition to cancel on never held")
	}()
	return func() {
		close(done)
		<-finished
	}
}

// starts returns the requests that started executions (StartSyncExecution
// and StartExecution): `run` first asks DescribeFlow which kind to start.
func starts(srv *fnftest.Server) []fnftest.Request {
	var out []fnftest.Request
	for _, r := range srv.Requests() {
		if r.Action == "StartSyncExecution" || r.Action == "StartExecution" {
			out = append(out, r)
		}
	}
	return out
}

// firstStart is the first request that started an execution.
func firstStart(t *testing.T, srv *fnftest.Server) fnftest.Request {
	t.Helper()
	s := starts(srv)
	if len(s) == 0 {
		t.Fatalf("no execution was started; requests: %+v", srv.Requests())
	}
	return s[0]
}

// demoCount is how many demo flows the engine bundles.
func demoCount(t *testing.T) int {
	t.Helper()
	l, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	flows, err := l.ListFlows(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return len(flows)
}
