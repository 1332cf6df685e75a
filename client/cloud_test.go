package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/flowtui/flowtui/fnf"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/fnftest"
)

// sleeps records the backoff waits instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func newTestCloud(t *testing.T, srv *fnftest.Server, mod ...func(*Config)) (*Cloud, *sleeps) {
	t.Helper()
	sl := &sleeps{}
	cfg := Config{
		Endpoint:    srv.URL,
		Region:      "cn-hangzhou",
		Credentials: StaticCredentials{AccessKeyID: fnftest.DefaultAccessKeyID, AccessKeySecret: fnftest.DefaultSecret},
		Sleep:       sl.sleep,
	}
	for _, m := range mod {
		m(&cfg)
	}
	c, err := NewCloud(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, sl
}

func manyFlows(n int) []fnftest.Flow {
	flows := make([]fnftest.Flow, n)
	for i := range flows {
		flows[i] = fnftest.Flow{Name: fmt.Sprintf("flow_%03d", i), Description: fmt.Sprintf("flow number %d", i)}
	}
	return flows
}

func TestListFlowsFollowsEveryPage(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(manyFlows(250)...))
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Signature = sig })
			flows, err := c.ListFlows(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(flows) != 250 {
				t.Fatalf("got %d flows, want 250", len(flows))
			}
			for i, f := range flows {
				if want := fmt.Sprintf("flow_%03d", i); f.Name != want {
					t.Fatalf("flow %d is %q, want %q (order kept across pages)", i, f.Name, want)
				}
			}
			if n := srv.Count("ListFlows"); n != 3 {
				t.Fatalf("%d ListFlows calls, want 3 pages of 100", n)
			}
			for _, r := range srv.Requests() {
				if !r.Verified || r.Method != http.MethodGet || r.SignatureVersion != sig {
					t.Fatalf("request %+v: want a verified %s GET", r, sig)
				}
			}
		})
	}
}

func TestListFlowsStopsOnARepeatedToken(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"RequestId":"r","Flows":[{"Name":"a"}],"NextToken":"same"}`)
	}))
	defer srv.Close()
	c, err := NewCloud(Config{Endpoint: srv.URL, Credentials: StaticCredentials{AccessKeyID: "id", AccessKeySecret: "s"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListFlows(context.Background())
	if err == nil || !strings.Contains(err.Error(), "NextToken") {
		t.Fatalf("got %v, want an error about a repeated NextToken", err)
	}
}

func TestDescribeFlowReturnsTheDefinition(t *testing.T) {
	def := "Type: StateMachine\nName: order\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n"
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "order", Definition: def, Description: "orders", ExecutionMode: "Express"}))
	c, _ := newTestCloud(t, srv)
	f, err := c.DescribeFlow(context.Background(), "order")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "order" || f.Definition != def || f.Mode() != fnf.ModeExpress || f.RequestId == "" {
		t.Fatalf("got %+v", f)
	}
	if got := srv.Requests()[0].Params.Get("Name"); got != "order" {
		t.Fatalf("Name parameter %q", got)
	}
}

func TestStartSyncExecutionPostsAFormBody(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "order", ExecutionMode: "Express"}))
			var got fnftest.SyncCall
			srv.OnStartSync(func(c fnftest.SyncCall) fnftest.SyncReply {
				got = c
				return fnftest.SyncReply{Output: `{"paid":true}`}
			})
			c, _ := newTestCloud(t, srv, func(c *Config) { c.Signature = sig })
			in := `{"orderId":"A 1 & ~*+=/ 日本"}`
			res, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "order", ExecutionName: "try_1", Input: in})
			if err != nil {
				t.Fatal(err)
			}
			if got.Input != in || got.ExecutionName != "try_1" || got.FlowName != "order" {
				t.Fatalf("server saw %+v", got)
			}
			if res.Status != fnf.StatusSucceeded || res.Output != `{"paid":true}` || !strings.HasPrefix(res.Name, "try_1:") {
				t.Fatalf("result %+v", res.Execution)
			}
			if res.HTTPStatus != 200 || res.Attempts != 1 || res.Latency <= 0 {
				t.Fatalf("status %d attempts %d latency %v", res.HTTPStatus, res.Attempts, res.Latency)
			}
			if _, ok := res.Duration(); !ok {
				t.Fatalf("no server duration from %q..%q", res.StartedTime, res.StoppedTime)
			}
			r := srv.Requests()[0]
			if r.Method != http.MethodPost || r.ContentType != formType || !r.Verified {
				t.Fatalf("request %+v: want a verified form POST", r)
			}
		})
	}
}

func TestSecurityTokenIsSentAndSigned(t *testing.T) {
	for _, sig := range []string{SignatureV2, SignatureV3} {
		t.Run(sig, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithSecurityToken("sts-token"), fnftest.WithFlows(fnftest.Flow{Name: "f"}))
			c, _ := newTestCloud(t, srv, func(c *Config) {
				c.Signature = sig
				c.Credentials = StaticCredentials{AccessKeyID: "testid", AccessKeySecret: "testsecret", SecurityToken: "sts-token"}
			})
			if _, err := c.DescribeFlow(context.Background(), "f"); err != nil {
				t.Fatal(err)
			}
			if r := srv.Requests()[0]; r.SecurityToken != "sts-token" || !r.Verified {
				t.Fatalf("request %+v", r)
			}
		})
	}
}

func TestEveryAttemptHasAFreshNonceAndTimestamp(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f"}))
	srv.FailNextCode("DescribeFlow", 2, 503, fnf.CodeInternalServerError, "busy")
	ticks := 0
	c, _ := newTestCloud(t, srv, func(c *Config) {
		c.Clock = func() time.Time {
			ticks++
			return time.Now().Add(time.Duration(ticks) * time.Second)
		}
	})
	if _, err := c.DescribeFlow(context.Background(), "f"); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	nonces, stamps := map[string]bool{}, map[string]bool{}
	for _, r := range reqs {
		nonce, stamp := r.Params.Get("SignatureNonce"), r.Params.Get("Timestamp")
		if len(nonce) != 32 || nonces[nonce] || stamps[stamp] {
			t.Fatalf("attempt reused or malformed nonce %q / timestamp %q", nonce, stamp)
		}
		nonces[nonce], stamps[stamp] = true, true
	}
}

// The error codes of StartSyncExecution ("Error codes" in
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startsyncexecution),
// and ExecutionAlreadyExists of StartExecution: each becomes an *APIError
// with every field, matched by its sentinel.
func TestEveryDocumentedErrorCodeIsTyped(t *testing.T) {
	table := []struct {
		status   int
		code     string
		sentinel error
		meaning  string // a word the explanation must contain
	}{
		{400, fnf.CodeEntityTooLarge, fnf.ErrEntityTooLarge, "1 MiB"},
		{400, fnf.CodeExecutionAlreadyExists, fnf.ErrExecutionAlreadyExists, "already"},
		{400, fnf.CodeInvalidArgument, fnf.ErrInvalidArgument, "parameter"},
		{400, fnf.CodeMissingRequiredHeader, fnf.ErrMissingRequiredHeader, "requires"},
		{400, fnf.CodeMissingRequiredParams, fnf.ErrMissingRequiredParams, "requires"},
		{400, fnf.CodeActionNotSupported, fnf.ErrActionNotSupported, "Express"},
		{400, fnf.CodeAPIVersionNotSupported, fnf.ErrAPIVersionNotSupported, "2019-03-15"},
		{403, fnf.CodeInvalidAccessKeyID, fnf.ErrInvalidAccessKeyID, "AccessKey ID"},
		{403, fnf.CodeRequestTimeTooSkewed, fnf.ErrRequestTimeTooSkewed, "clock"},
		{403, fnf.CodeSignatureNotMatch, fnf.ErrSignatureNotMatch, "secret"},
		{403, fnf.CodeAccessDenied, fnf.ErrAccessDenied, "fnf:StartSyncExecution"},
		{404, fnf.CodeFlowNotExists, fnf.ErrFlowNotExists, `flow "order" at http://127.0.0.1`},
		{415, fnf.CodeUnsupportedMediaType, fnf.ErrUnsupportedMediaType, "content type"},
		{429, fnf.CodeResourceThrottled, fnf.ErrResourceThrottled, "did not start"},
		{500, fnf.CodeInternalServerError, fnf.ErrInternalServerError, "unknown"},
	}
	for _, tt := range table {
		t.Run(tt.code, func(t *testing.T) {
			srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "order", ExecutionMode: "Express"}))
			srv.FailNextCode("StartSyncExecution", 10, tt.status, tt.code, "message for "+tt.code)
			c, _ := newTestCloud(t, srv)
			_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "order"})
			if !errors.Is(err, tt.sentinel) {
				t.Fatalf("errors.Is(%v, %s) is false", err, tt.code)
			}
			var ae *fnf.APIError
			if !errors.As(err, &ae) {
				t.Fatalf("%T is not an *APIError", err)
			}
			if ae.HTTPStatus != tt.status || ae.Message != "message for "+tt.code || ae.RequestID == "" ||
				ae.Action != "StartSyncExecution" || ae.FlowName != "order" || !strings.Contains(ae.Recommend, tt.code) {
				t.Fatalf("error fields %+v", ae)
			}
			ex := ae.Explain()
			if !strings.Contains(ex.Meaning+" "+ex.Fix, tt.meaning) || ex.Fix == "" {
				t.Fatalf("explanation %+v does not mention %q", ex, tt.meaning)
			}
			if !strings.Contains(err.Error(), tt.code) || !strings.Contains(err.Error(), ae.RequestID) {
				t.Fatalf("message %q lacks code or request id", err)
			}
			if errors.Is(err, fnf.ErrFlowNotExists) != (tt.code == fnf.CodeFlowNotExists) {
				t.Fatalf("sentinels match across codes")
			}
		})
	}
}

func TestErrorBodyWithLowerCaseKeys(t *testing.T) {
	ae, ok := parseAPIError(400, []byte(`{"code":"InvalidArgument","message":"bad","requestId":"r-1"}`))
	if !ok || ae.Code != fnf.CodeInvalidArgument || ae.Message != "bad" || ae.RequestID != "r-1" {
		t.Fatalf("got %+v, %v", ae, ok)
	}
}

func TestABodyThatIsNotAnFnfErrorIsATransportError(t *testing.T) {
	for name, body := range map[string]string{
		"HTML from a proxy": "<html><body><h1>502 Bad Gateway</h1></body></html>",
		"truncated JSON":    `{"RequestId":"r","Code":"Flow`,
		"empty":             "",
	} {
		t.Run(name, func(t *testing.T) {
			srv := fnftest.New(t)
			srv.FailNext("DescribeFlow", 10, 502, body)
			c, _ := newTestCloud(t, srv)
			_, err := c.DescribeFlow(context.Background(), "f")
			var te *fnf.TransportError
			if !errors.As(err, &te) || te.HTTPStatus != 502 {
				t.Fatalf("got %T %v, want a *TransportError with HTTP 502", err, err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "HTTP 502") || strings.Contains(msg, "invalid character") || strings.Contains(msg, "unexpected end") {
				t.Fatalf("message %q should give the status, not a JSON parse error", msg)
			}
		})
	}
}

func TestAMalformedSuccessIsATransportError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"Name":"f",`)
	}))
	defer srv.Close()
	c, _ := NewCloud(Config{Endpoint: srv.URL, Credentials: StaticCredentials{AccessKeyID: "id", AccessKeySecret: "s"}})
	_, err := c.DescribeFlow(context.Background(), "f")
	var te *fnf.TransportError
	if !errors.As(err, &te) || te.HTTPStatus != 200 {
		t.Fatalf("got %v", err)
	}
}

func TestErrorsNeverCarryTheSignedURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now: connection refused
	c, err := NewCloud(Config{Endpoint: "http://" + addr, Credentials: StaticCredentials{AccessKeyID: "AKIDVISIBLE", AccessKeySecret: "s3cr3t", SecurityToken: "tok3n"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f"})
	if err == nil {
		t.Fatal("no error from a closed port")
	}
	for _, leak := range []string{"Signature", "AKIDVISIBLE", "s3cr3t", "tok3n"} {
		if strings.Contains(err.Error(), leak) {
			t.Fatalf("error %q carries %q", err, leak)
		}
	}
	var uo *fnf.UnknownOutcomeError
	if errors.As(err, &uo) {
		t.Fatalf("a refused connection started nothing, yet the error says the outcome is unknown: %v", err)
	}
}

func TestInfoNamesTheEndpointAndRegion(t *testing.T) {
	c, err := NewCloud(Config{Region: "ap-southeast-1", Profile: "dev", Credentials: StaticCredentials{}})
	if err != nil {
		t.Fatal(err)
	}
	want := fnf.Info{Kind: fnf.KindCloud, Endpoint: "https://ap-southeast-1.fnf.aliyuncs.com", Region: "ap-southeast-1", Profile: "dev"}
	if got := c.Info(); got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestNewCloudRefusesBadSettings(t *testing.T) {
	creds := StaticCredentials{AccessKeyID: "a", AccessKeySecret: "b"}
	for name, cfg := range map[string]Config{
		"no credentials":       {},
		"region with a slash":  {Region: "evil.com/x", Credentials: creds},
		"unknown signature":    {Signature: "v4", Credentials: creds},
		"endpoint not http(s)": {Endpoint: "ftp://h", Credentials: creds},
		"endpoint with query":  {Endpoint: "http://h/?a=b", Credentials: creds},
		"endpoint with user":   {Endpoint: "http://u:p@h", Credentials: creds},
	} {
		if _, err := NewCloud(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestExecutionJSONUsesAPIFieldNames(t *testing.T) {
	b, _ := json.Marshal(fnf.Execution{FlowName: "f", Status: fnf.StatusFailed, ErrorCode: "E"})
	for _, k := range []string{`"FlowName":"f"`, `"Status":"Failed"`, `"ErrorCode":"E"`, `"RequestId"`} {
		if !strings.Contains(string(b), k) {
			t.Fatalf("%s lacks %s", b, k)
		}
	}
}

func TestFlowNotExistsAtAnEndpointNamesTheEndpoint(t *testing.T) {
	srv := fnftest.New(t)
	c, _ := newTestCloud(t, srv)
	_, err := c.DescribeFlow(context.Background(), "ghost")
	var ae *fnf.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v", err)
	}
	if ex := ae.Explain(); !strings.Contains(ex.Meaning, srv.URL) || strings.Contains(ex.Meaning, "region") {
		t.Fatalf("explanation %+v should name the endpoint %s", ex, srv.URL)
	}
}

func TestFlowNotExistsInTheCloudNamesTheRegion(t *testing.T) {
	ex := (&fnf.APIError{Code: fnf.CodeFlowNotExists, FlowName: "order", Region: "cn-shanghai"}).Explain()
	if !strings.Contains(ex.Meaning, `flow "order" in region cn-shanghai`) || !strings.Contains(ex.Fix, "--region") {
		t.Fatalf("explanation %+v", ex)
	}
}
