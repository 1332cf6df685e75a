package server

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/client/sign"
	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

const (
	testKeyID  = "testid"
	testSecret = "testsecret"
)

// testServer is a Server behind an httptest server on 127.0.0.1.
type testServer struct {
	*Server
	URL  string
	host string
	hc   *http.Client
}

// start serves cfg on loopback; the key pair defaults to testid/testsecret
// and the flows to the demo flows.
func start(t testing.TB, cfg Config) *testServer {
	t.Helper()
	if cfg.AccessKeyID == "" {
		cfg.AccessKeyID, cfg.AccessKeySecret = testKeyID, testSecret
	}
	if cfg.Local.FlowsDir == "" {
		cfg.Local.Demos = true
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	t.Cleanup(func() {
		if err := s.closeExecutions(); err != nil {
			t.Errorf("closing the executions: %v", err)
		}
	})
	u, _ := url.Parse(hs.URL)
	return &testServer{Server: s, URL: hs.URL, host: u.Host, hc: hs.Client()}
}

// flowDir writes flow files into a fresh directory.
func flowDir(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// call is one raw request, signed by the test itself so that every part of
// it can be got wrong on purpose.
type call struct {
	action  string
	params  []string // name, value, name, value…
	sig     string   // "v2" (default), "v3" or "none"
	method  string   // default: POST with a form body
	inQuery bool     // POST with the parameters in the query string
	query   []string // name, value…: in the query string whatever the method, as the SDKs send ReportTask*'s TaskToken
	keyID   string
	secret  string
	version string
	nonce   string
	at      time.Time
	stamp   string // a timestamp as sent, when it must be malformed
	header  map[string]string
	// tamper changes the request after it is signed.
	tamper func(*http.Request)
}

// answer is a decoded response.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

func (a answer) str(key string) string {
	s, _ := a.body[key].(string)
	return s
}

func (ts *testServer) do(t testing.TB, c call) answer {
	t.Helper()
	a, err := ts.try(ts.request(t, c))
	if err != nil {
		t.Fatalf("%s: %v", c.action, err)
	}
	return a
}

// try sends a built request; it may run on any goroutine.
func (ts *testServer) try(req *http.Request) (answer, error) {
	resp, err := ts.hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("reading the answer: %w", err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, raw: raw}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		return a, fmt.Errorf("answer %d is not JSON: %w\n%s", resp.StatusCode, err, raw)
	}
	return a, nil
}

func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// request builds and signs c the way the official clients do.
func (ts *testServer) request(t testing.TB, c call) *http.Request {
	t.Helper()
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.sig, "v2")
	def(&c.method, http.MethodPost)
	def(&c.keyID, testKeyID)
	def(&c.secret, testSecret)
	def(&c.version, fnf.APIVersion)
	def(&c.nonce, newNonce())
	if c.at.IsZero() {
		c.at = time.Now()
	}
	stamp := c.at.UTC().Format("2006-01-02T15:04:05Z")
	if c.stamp != "" {
		stamp = c.stamp
	}
	var api sign.Values
	for i := 0; i+1 < len(c.params); i += 2 {
		api.Add(c.params[i], c.params[i+1])
	}
	inBody := c.method == http.MethodPost && !c.inQuery
	var q sign.Values
	for i := 0; i+1 < len(c.query); i += 2 {
		q.Add(c.query[i], c.query[i+1])
	}
	var header [][2]string
	body := ""
	if inBody {
		body = api.Encode()
	}
	switch c.sig {
	case "v3":
		q.Add("Format", "JSON")
		if !inBody {
			for i := 0; i+1 < len(c.params); i += 2 {
				q.Add(c.params[i], c.params[i+1])
			}
		}
		hash := sign.HashPayload([]byte(body))
		header = [][2]string{{"x-acs-action", c.action}, {"x-acs-version", c.version}, {"x-acs-date", stamp},
			{"x-acs-signature-nonce", c.nonce}, {"x-acs-content-sha256", hash}}
		if inBody {
			header = append(header, [2]string{"content-type", formType})
		}
		signed := []sign.Header{{Name: "host", Value: ts.host}}
		for _, h := range header {
			signed = append(signed, sign.Header{Name: h[0], Value: h[1]})
		}
		auth := sign.V3Authorization(c.keyID, c.secret, sign.V3Request{Method: c.method, Path: "/", Query: &q, Headers: signed, PayloadHash: hash})
		header = append(header, [2]string{"Authorization", auth})
	default:
		for _, kv := range [][2]string{{"AccessKeyId", c.keyID}, {"Action", c.action}, {"Format", "JSON"},
			{"SignatureMethod", sign.V2Method}, {"SignatureNonce", c.nonce}, {"SignatureVersion", sign.V2Version},
			{"Timestamp", stamp}, {"Version", c.version}} {
			if c.sig == "none" && (kv[0] == "AccessKeyId" || strings.HasPrefix(kv[0], "Signature")) {
				continue
			}
			q.Add(kv[0], kv[1])
		}
		if !inBody {
			for i := 0; i+1 < len(c.params); i += 2 {
				q.Add(c.params[i], c.params[i+1])
			}
		}
		if c.sig != "none" {
			sets := []*sign.Values{&q}
			if inBody {
				sets = append(sets, &api)
			}
			q.Add("Signature", sign.V2Signature(c.secret, c.method, sets...))
		}
		if inBody {
			header = append(header, [2]string{"Content-Type", formType})
		}
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(c.method, ts.URL+"/?"+q.Encode(), rd)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range header {
		req.Header.Set(h[0], h[1])
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	if c.tamper != nil {
		c.tamper(req)
	}
	return req
}

// wantError checks an error answer: status, code, the service's body and the
// request id in both places.
func wantError(t testing.TB, a answer, status int, code string, inMessage ...string) {
	t.Helper()
	if a.status != status || a.str("Code") != code {
		t.Fatalf("answer %d %s, want %d %s\n%s", a.status, a.str("Code"), status, code, a.raw)
	}
	id := a.str("RequestId")
	if id == "" || a.header.Get("x-acs-request-id") != id {
		t.Errorf("RequestId %q, header x-acs-request-id %q: want the same, non-empty", id, a.header.Get("x-acs-request-id"))
	}
	if a.str("HostId") == "" || a.str("Message") == "" {
		t.Errorf("HostId %q, Message %q: want both", a.str("HostId"), a.str("Message"))
	}
	for _, s := range inMessage {
		if !strings.Contains(a.str("Message"), s) {
			t.Errorf("message does not mention %q: %s", s, a.str("Message"))
		}
	}
	if bytes.Contains(a.raw, []byte(testSecret)) {
		t.Errorf("the answer shows the secret: %s", a.raw)
	}
}

// wantOK checks a 200 answer carrying its request id.
func wantOK(t testing.TB, a answer) {
	t.Helper()
	if a.status != http.StatusOK {
		t.Fatalf("answer %d, want 200\n%s", a.status, a.raw)
	}
	if id := a.str("RequestId"); id == "" || a.header.Get("x-acs-request-id") != id {
		t.Fatalf("RequestId %q, header %q: want the same, non-empty", id, a.header.Get("x-acs-request-id"))
	}
}

// cloud is flowtui's own client pointed at the server.
func (ts *testServer) cloud(t testing.TB, signature string) *client.Cloud {
	t.Helper()
	c, err := client.NewCloud(client.Config{
		Endpoint: ts.URL, Signature: signature, HTTPClient: ts.hc,
		Credentials: client.StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// expressFlow is a one-state Express definition that stamps its output.
func expressFlow(name, value string) string {
	return "Type: StateMachine\nName: " + name + "\nSpecVersion: v1\nStartAt: A\nStates:\n" +
		"  - Type: Pass\n    Name: A\n    OutputConstructor:\n      v: " + value + "\n    End: true\n"
}

// engineOpts serves the demo flows and the flows of dir.
func engineOpts(dir string) engine.LocalOptions {
	return engine.LocalOptions{Demos: true, FlowsDir: dir, FlowsDirMust: true}
}

func readCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

// demoFlows lists the bundled demo flows, which every server serves unless
// told otherwise: tests count on them without hard-coding how many there are.
func demoFlows(t testing.TB) []fnf.Flow {
	t.Helper()
	l, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	flows, err := l.ListFlows(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return flows
}
