package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/fnftest"
)

// stderrWatch is the serve command's stderr: written by the server's
// goroutines, read by the test, and it tells when the listening line is out.
type stderrWatch struct {
	mu        sync.Mutex
	buf       bytes.Buffer
	listening *regexp.Regexp
	ready     chan string // the server's URL, once
	sent      bool
}

func (s *stderrWatch) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf.Write(p)
	if m := s.listening.FindStringSubmatch(s.buf.String()); m != nil && !s.sent {
		s.sent = true
		s.ready <- m[1]
	}
	return len(p), nil
}

func (s *stderrWatch) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// serving is a `flowtui serve` running in this process.
type serving struct {
	url    string
	stderr *stderrWatch
	stop   func() (code int, stderr string)
}

// startServe runs `flowtui serve --addr 127.0.0.1:0 args…` until stop.
func startServe(t *testing.T, args ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w := &stderrWatch{ready: make(chan string, 1), listening: regexp.MustCompile(`listening on (http://\S+)`)}
	done := make(chan int, 1)
	var out bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), stdio{in: strings.NewReader(""), out: &out, err: w})
	}()
	s := &serving{stderr: w}
	select {
	case s.url = <-w.ready:
	case code := <-done:
		cancel()
		t.Fatalf("flowtui serve ended with %d before listening:\n%s", code, w.String())
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatalf("flowtui serve did not start listening:\n%s", w.String())
	}
	stopped := false
	s.stop = func() (int, string) {
		if stopped {
			return 0, w.String()
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			if out.Len() > 0 {
				t.Errorf("flowtui serve wrote to stdout: %s", out.String())
			}
			return code, w.String()
		case <-time.After(10 * time.Second):
			t.Fatal("flowtui serve did not stop")
			return 0, ""
		}
	}
	t.Cleanup(func() { s.stop() })
	return s
}

// The server's key pair is the test's default one, given in the environment:
// the secret must never be printed.
func serveWithEnvKeys(t *testing.T, args ...string) *serving {
	t.Helper()
	isolate(t)
	t.Setenv(envServeKeyID, fnftest.DefaultAccessKeyID)
	t.Setenv(envServeKeySecret, fnftest.DefaultSecret)
	envKeys(t)
	return startServe(t, args...)
}

func TestFlowtuisCloudClientRunsAgainstServe(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "hello.yaml", "Type: StateMachine\nName: hello\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    OutputConstructor:\n      greeting.$: format(\"hello {}\", $Input.who)\n    End: true\n")
	s := serveWithEnvKeys(t, "--flows", dir)

	for _, sig := range []string{"v2", "v3"} {
		t.Run(sig, func(t *testing.T) {
			cli := func(args ...string) (int, string, string) {
				return runCLI(t, append([]string{"--endpoint", s.url, "--signature", sig}, args...)...)
			}
			code, stdout, stderr := cli("flows", "--json")
			wantCode(t, code, 0, stdout, stderr)
			var flows []map[string]any
			decodeStrict(t, stdout, &flows)
			if len(flows) != demoCount(t)+1 {
				t.Fatalf("%d flows, want the %d demo flows and hello:\n%s", len(flows), demoCount(t), stdout)
			}

			code, stdout, stderr = cli("describe", "hello", "--json")
			wantCode(t, code, 0, stdout, stderr)
			wantContains(t, "describe", stdout, `"Name": "hello"`, `"ExecutionMode": "Express"`, `"RequestId"`)

			code, stdout, stderr = cli("run", "hello", "--json", "--name", "ci-"+sig, "--input", `{"who":"CI"}`)
			wantCode(t, code, 0, stdout, stderr)
			var got runJSON
			decodeStrict(t, stdout, &got)
			if got.Status != "Succeeded" || got.Output != `{"greeting":"hello CI"}` || !strings.HasPrefix(got.Name, "ci-"+sig+":") || got.Backend != "cloud" || got.RequestId == "" {
				t.Fatalf("run: %+v", got)
			}

			// The test case goes to the server in the x-flowtui-test-case header.
			code, stdout, stderr = cli("run", "charge-with-retry", "--test-case", "Declined", "--json", "--input", `{"orderId":"A-1"}`)
			wantCode(t, code, 0, stdout, stderr)
			wantContains(t, "run --test-case Declined", stdout, "declined")

			code, stdout, stderr = cli("run", "order-routing", "--input", `{"orderId":"A-1","total":20,"country":"US"}`)
			wantCode(t, code, 1, stdout, stderr)
			wantContains(t, "stderr", stderr, "Failed", "Order.CountryNotServed")

			code, stdout, stderr = cli("run", "nope", "--json")
			wantCode(t, code, 3, stdout, stderr)
			var e errorOut
			decodeStrict(t, stdout, &e)
			if e.Error.Code != "FlowNotExists" || e.Error.HttpStatus != 404 || e.Error.RequestId == "" {
				t.Fatalf("error %+v", e.Error)
			}
		})
	}

	code, stderr := s.stop()
	if code != 0 {
		t.Fatalf("serve exited %d:\n%s", code, stderr)
	}
	wantContains(t, "serve's stderr", stderr, "requests must be signed with AccessKey ID testid", "StartSyncExecution flow=hello status=200",
		"DescribeFlow flow=nope status=404 code=FlowNotExists", "stopping", "stopped")
	if strings.Contains(stderr, fnftest.DefaultSecret) {
		t.Fatalf("serve printed the secret it was given:\n%s", stderr)
	}
}

func TestServeWrongKeysAreRefused(t *testing.T) {
	s := serveWithEnvKeys(t)
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "othersecret")
	code, stdout, stderr := runCLI(t, "--endpoint", s.url, "flows")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "SignatureNotMatch", "HTTP 403")

	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "other")
	code, stdout, stderr = runCLI(t, "--endpoint", s.url, "--signature", "v3", "flows")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "InvalidAccessKeyID")
}

func TestServeGeneratesAKeyPairAndPrintsItOnce(t *testing.T) {
	isolate(t)
	t.Setenv(envServeKeyID, "")
	t.Setenv(envServeKeySecret, "")
	s := startServe(t, "--quiet")
	m := regexp.MustCompile(`(?m)^export ALIBABA_CLOUD_ACCESS_KEY_ID=(\S+) ALIBABA_CLOUD_ACCESS_KEY_SECRET=(\S+)$`).FindStringSubmatch(s.stderr.String())
	if m == nil {
		t.Fatalf("no ready-to-paste export line:\n%s", s.stderr.String())
	}
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", m[1])
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", m[2])
	code, stdout, stderr := runCLI(t, "--endpoint", s.url, "run", "order-routing", "--input", `{"orderId":"A-1","total":20,"country":"SG"}`)
	wantCode(t, code, 0, stdout, stderr)
	if strings.Contains(stdout+stderr, m[2]) {
		t.Fatal("the client printed the secret")
	}
	code, out := s.stop()
	if code != 0 || strings.Count(out, m[2]) != 1 {
		t.Fatalf("exit %d; the generated secret must appear once, in the export line:\n%s", code, out)
	}
	if strings.Contains(out, "status=200") {
		t.Fatalf("--quiet still logs requests:\n%s", out)
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	isolate(t)
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"serve", "--access-key-id", "id"}, "give both"},
		{[]string{"serve", "--max-concurrent", "0"}, "--max-concurrent"},
		{[]string{"serve", "--flows", "/nonexistent/dir"}, "not a directory"},
		{[]string{"serve", "--endpoint", "http://127.0.0.1:1"}, "--addr"},
		{[]string{"serve", "--addr", "127.0.0.1:notaport", "--access-key-id", "id", "--access-key-secret", "s"}, "--addr"},
	} {
		code, stdout, stderr := runCLI(t, tc.args...)
		want := 2
		if strings.Contains(strings.Join(tc.args, " "), "notaport") {
			want = 3
		}
		wantCode(t, code, want, stdout, stderr)
		wantContains(t, "stderr", stderr, tc.says)
	}
}

func TestServeListsAFlowThatDoesNotLoad(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "broken.yaml", brokenFlow)
	s := serveWithEnvKeys(t, "--flows", dir, "--quiet")
	wantContains(t, "serve's stderr", s.stderr.String(), "flow broken does not load", "broken.yaml:6:5", fmt.Sprintf("%d flows, 1 do not load", demoCount(t)+1))

	code, stdout, stderr := runCLI(t, "--endpoint", s.url, "run", "broken")
	wantCode(t, code, 3, stdout, stderr)
	wantContains(t, "stderr", stderr, "InvalidArgument", "broken.yaml:6:5")
	code, stdout, stderr = runCLI(t, "--endpoint", s.url, "flows", "--json")
	wantCode(t, code, 0, stdout, stderr)
	var flows []map[string]any
	if err := json.Unmarshal([]byte(stdout), &flows); err != nil {
		t.Fatal(err)
	}
	for _, f := range flows {
		if f["Name"] == "broken" && !strings.Contains(f["Error"].(string), "Nowhere") {
			t.Fatalf("broken flow listed without its problem: %v", f)
		}
	}
}
