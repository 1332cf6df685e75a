package fnftest

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func testFlows() []Flow {
	return []Flow{
		{Name: "my_flow", Definition: "Type: StateMachine"},
		{Name: "std_flow", ExecutionMode: "Standard"},
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	start := url.Values{"FlowName": {"my_flow"}, "Input": {`{"msg":"a b+c*~é&="}`}}
	post := func(sp spec) spec {
		sp.method, sp.action = http.MethodPost, "StartSyncExecution"
		if sp.params == nil {
			sp.params = start
		}
		return sp
	}
	dropQuery := func(name string) func(*http.Request) {
		return func(r *http.Request) {
			q := r.URL.Query()
			q.Del(name)
			r.URL.RawQuery = q.Encode()
		}
	}
	reused := spec{nonce: "same-nonce"}
	reusedV3 := spec{v3: true, nonce: "same-nonce-v3"}
	withToken := []Option{WithSecurityToken("sts-token")}

	tests := []struct {
		name   string
		opts   []Option
		before []spec
		req    spec
		status int
		code   string
		msg    string // substring of Message
		early  bool   // rejected before the signature check despite a post-auth code
	}{
		{name: "v2 ok", req: spec{}, status: 200},
		{name: "v3 ok", req: spec{v3: true}, status: 200},
		{name: "v2 post ok", req: post(spec{}), status: 200},
		{name: "v3 post ok", req: post(spec{v3: true}), status: 200},
		{name: "v2 token ok", opts: withToken, req: spec{token: "sts-token"}, status: 200},
		{name: "v3 token ok", opts: withToken, req: spec{v3: true, token: "sts-token"}, status: 200},
		{name: "14 minutes skew ok", req: spec{ts: fixedClock().Add(-14 * time.Minute)}, status: 200},

		{name: "v2 unknown key", req: spec{ak: "nobody"}, status: 403, code: "InvalidAccessKeyID", msg: "nobody"},
		{name: "v3 unknown key", req: spec{v3: true, ak: "nobody"}, status: 403, code: "InvalidAccessKeyID"},
		{name: "v2 bad signature", req: post(spec{secret: "wrong"}), status: 403, code: "SignatureNotMatch", msg: "server string to sign is:POST&%2F&AccessKeyId%3Dtestid"},
		{name: "v3 bad signature", req: spec{v3: true, secret: "wrong"}, status: 403, code: "SignatureNotMatch", msg: "server string to sign is:ACS3-HMAC-SHA256\n"},
		{name: "v2 tampered query", req: spec{edit: func(r *http.Request) { r.URL.RawQuery += "&Limit=5" }}, status: 403, code: "SignatureNotMatch"},
		{name: "v3 tampered query", req: spec{v3: true, edit: func(r *http.Request) { r.URL.RawQuery = "Limit=5" }}, status: 403, code: "SignatureNotMatch"},
		{name: "v3 body hash mismatch", req: post(spec{v3: true, edit: func(r *http.Request) {
			r.Header.Set("x-acs-content-sha256", sha256Hex([]byte("other")))
		}}), status: 403, code: "SignatureNotMatch", msg: "does not match the body"},
		{name: "v2 skew past", req: spec{ts: fixedClock().Add(-16 * time.Minute)}, status: 403, code: "RequestTimeTooSkewed"},
		{name: "v3 skew future", req: spec{v3: true, ts: fixedClock().Add(16 * time.Minute)}, status: 403, code: "RequestTimeTooSkewed"},
		{name: "v2 nonce reused", before: []spec{reused}, req: reused, status: 400, code: "SignatureNonceUsed"},
		{name: "v3 nonce reused", before: []spec{reusedV3}, req: reusedV3, status: 400, code: "SignatureNonceUsed"},
		{name: "v2 unknown action", req: spec{action: "DeleteFlow"}, status: 400, code: "ActionNotSupported", msg: "DeleteFlow"},
		{name: "v3 unknown action", req: spec{v3: true, action: "DeleteFlow"}, status: 400, code: "ActionNotSupported"},
		{name: "v2 bad version", req: spec{version: "2014-05-26"}, status: 400, code: "APIVersionNotSupported"},
		{name: "v3 bad version", req: spec{v3: true, version: "2014-05-26"}, status: 400, code: "APIVersionNotSupported"},
		{name: "missing Name", req: spec{action: "DescribeFlow"}, status: 400, code: "MissingRequiredParams", msg: "Name"},
		{name: "missing FlowName", req: post(spec{params: url.Values{"Input": {"{}"}}}), status: 400, code: "MissingRequiredParams", msg: "FlowName"},
		{name: "v2 missing Timestamp", req: spec{edit: dropQuery("Timestamp")}, status: 400, code: "MissingRequiredParams", msg: "Timestamp", early: true},
		{name: "unknown flow", req: spec{action: "DescribeFlow", params: url.Values{"Name": {"ghost"}}}, status: 404, code: "FlowNotExists", msg: "ghost"},
		{name: "v3 unknown flow sync", req: post(spec{v3: true, params: url.Values{"FlowName": {"ghost"}}}), status: 404, code: "FlowNotExists", msg: "ghost"},
		{name: "standard flow", req: post(spec{params: url.Values{"FlowName": {"std_flow"}}}), status: 400, code: "ActionNotSupported", msg: "Standard execution is not supported"},
		{name: "v2 json body", req: post(spec{ctype: "application/json", body: `{"FlowName":"my_flow"}`}), status: 415, code: "UnsupportedMediaType"},
		{name: "v3 json body", req: post(spec{v3: true, ctype: "application/json", body: `{}`}), status: 415, code: "UnsupportedMediaType"},
		{name: "v2 token missing", opts: withToken, req: spec{}, status: 403, code: "InvalidSecurityToken"},
		{name: "v3 token wrong", opts: withToken, req: spec{v3: true, token: "other"}, status: 403, code: "InvalidSecurityToken"},
		{name: "token unexpected", req: spec{token: "sts-token"}, status: 403, code: "InvalidSecurityToken"},
		{name: "v3 date unsigned", req: spec{v3: true, unsigned: "x-acs-date"}, status: 400, code: "IncompleteSignature", msg: "x-acs-date"},
		{name: "v3 token unsigned", opts: withToken, req: spec{v3: true, token: "sts-token", unsigned: "x-acs-security-token"}, status: 400, code: "IncompleteSignature"},
		{name: "v2 xml format", req: spec{format: "XML"}, status: 400, code: "InvalidArgument", msg: "JSON", early: true},
		{name: "limit zero", req: spec{params: url.Values{"Limit": {"0"}}}, status: 400, code: "InvalidArgument", msg: "Limit"},
		{name: "limit 1000", req: spec{params: url.Values{"Limit": {"1000"}}}, status: 400, code: "InvalidArgument"},
		{name: "bad token", req: spec{params: url.Values{"NextToken": {"ghost"}}}, status: 400, code: "InvalidArgument", msg: "NextToken"},
		{name: "bad execution name", req: post(spec{params: url.Values{"FlowName": {"my_flow"}, "ExecutionName": {"1run"}}}), status: 400, code: "InvalidArgument", msg: "ExecutionName"},
		{name: "bad input", req: post(spec{v3: true, params: url.Values{"FlowName": {"my_flow"}, "Input": {"{oops"}}}), status: 400, code: "InvalidArgument", msg: "Input"},
	}
	postAuth := map[string]bool{"": true, "ActionNotSupported": true, "APIVersionNotSupported": true,
		"MissingRequiredParams": true, "FlowNotExists": true, "InvalidArgument": true}
	idRE := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := New(t, append([]Option{WithClock(fixedClock), WithFlows(testFlows()...)}, tc.opts...)...)
			for _, b := range tc.before {
				if st, m := do(t, s, b); st != 200 {
					t.Fatalf("before: status %d %s", st, str(t, m, "Code"))
				}
			}
			status, m := do(t, s, tc.req)
			id := str(t, m, "RequestId")
			if !idRE.MatchString(id) {
				t.Errorf("RequestId %q", id)
			}
			code, msg := str(t, m, "Code"), str(t, m, "Message")
			if status != tc.status || code != tc.code {
				t.Fatalf("got %d %q (%s), want %d %q", status, code, msg, tc.status, tc.code)
			}
			if !strings.Contains(msg, tc.msg) {
				t.Errorf("message %q lacks %q", msg, tc.msg)
			}
			if strings.Contains(msg, DefaultSecret) || strings.Contains(msg, "wrong") {
				t.Errorf("message leaks a secret: %q", msg)
			}
			if tc.code != "" {
				want := fmt.Sprintf("https://api.alibabacloud.com/troubleshoot?q=%s&product=fnf&requestId=%s", tc.code, id)
				if got := str(t, m, "Recommend"); got != want {
					t.Errorf("Recommend %q, want %q", got, want)
				}
				if str(t, m, "HostId") == "" {
					t.Error("no HostId")
				}
			}
			reqs := s.Requests()
			last := reqs[len(reqs)-1]
			if last.Status != tc.status || last.Code != tc.code || last.Verified != (postAuth[tc.code] && !tc.early) {
				t.Errorf("recorded %+v", last)
			}
		})
	}
}
