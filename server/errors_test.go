package server

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

const standardFlowFile = "Name: std\nExecutionMode: Standard\nDefinition: |\n" +
	"  Type: StateMachine\n  Name: std\n  SpecVersion: v1\n  StartAt: A\n  States:\n    - Type: Pass\n      Name: A\n      End: true\n"

const brokenFlowFile = "Type: StateMachine\nName: broken\nSpecVersion: v1\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    Next: Nowhere\n"

// Every error of the StartSyncExecution table ("Error codes" in
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startsyncexecution) that a
// request can provoke, and the gateway's, with the documented status.
func TestEveryErrorHasItsStatusCodeAndBody(t *testing.T) {
	ts := start(t, Config{Local: engineOpts(flowDir(t, map[string]string{"std.yaml": standardFlowFile, "broken.yaml": brokenFlowFile}))})
	run := func(params ...string) []string {
		return append([]string{"FlowName", "order-routing"}, params...)
	}
	tests := []struct {
		name   string
		call   call
		status int
		code   string
		says   []string
	}{
		{"unknown action", call{action: "CreateSchedule", params: run()}, 400, fnf.CodeActionNotSupported, []string{"CreateSchedule", "StartSyncExecution", "StartExecution", "DescribeRegions"}},
		{"unknown action, V3", call{action: "Nope", sig: "v3"}, 400, fnf.CodeActionNotSupported, nil},
		{"other version", call{action: "StartSyncExecution", version: "2018-01-01", params: run()}, 400, fnf.CodeAPIVersionNotSupported, []string{"2018-01-01", "2019-03-15"}},
		{"missing flow name", call{action: "StartSyncExecution"}, 400, fnf.CodeMissingRequiredParams, []string{"FlowName"}},
		{"missing name, describe", call{action: "DescribeFlow", method: http.MethodGet}, 400, fnf.CodeMissingRequiredParams, []string{"Name"}},
		{"unsigned", call{action: "ListFlows", sig: "none"}, 400, fnf.CodeMissingRequiredParams, []string{"Signature", "Authorization"}},
		{"bad flow name", call{action: "StartSyncExecution", params: []string{"FlowName", "9lives"}}, 400, fnf.CodeInvalidArgument, []string{"9lives"}},
		{"bad execution name", call{action: "StartSyncExecution", params: run("ExecutionName", "has space")}, 400, fnf.CodeInvalidArgument, []string{"ExecutionName", "has space"}},
		{"input not JSON", call{action: "StartSyncExecution", params: run("Input", "{\n  \"a\": tru\n}")}, 400, fnf.CodeInvalidArgument, []string{"line 2, column"}},
		{"input not an object", call{action: "StartSyncExecution", params: run("Input", "[1]")}, 400, fnf.CodeInvalidArgument, []string{"JSON object"}},
		{"unknown test case", call{action: "StartSyncExecution", params: []string{"FlowName", "charge-with-retry"}, header: map[string]string{fnf.TestCaseHeader: "Nope"}}, 400, fnf.CodeInvalidArgument, []string{"Nope", "Declined"}},
		{"flow that does not load", call{action: "StartSyncExecution", params: []string{"FlowName", "broken"}}, 400, fnf.CodeInvalidArgument, []string{"broken.yaml:6:5", "Nowhere"}},
		{"bad limit", call{action: "ListFlows", method: http.MethodGet, params: []string{"Limit", "1000"}}, 400, fnf.CodeInvalidArgument, []string{"1000", "999"}},
		{"XML", call{action: "ListFlows", tamper: func(r *http.Request) {
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "Format=JSON", "Format=XML", 1)
		}}, 400, fnf.CodeInvalidArgument, []string{"XML"}},
		{"unknown flow", call{action: "StartSyncExecution", params: []string{"FlowName", "nope"}}, 404, fnf.CodeFlowNotExists, []string{"nope"}},
		{"unknown flow, describe", call{action: "DescribeFlow", method: http.MethodGet, params: []string{"Name", "nope"}}, 404, fnf.CodeFlowNotExists, nil},
		{"standard flow", call{action: "StartSyncExecution", params: []string{"FlowName", "std"}}, 400, fnf.CodeActionNotSupported, []string{"Standard"}},
		{"unknown key", call{action: "ListFlows", keyID: "other"}, 403, fnf.CodeInvalidAccessKeyID, []string{"other"}},
		{"unknown key, V3", call{action: "ListFlows", keyID: "other", sig: "v3"}, 403, fnf.CodeInvalidAccessKeyID, nil},
		{"wrong secret", call{action: "ListFlows", secret: "othersecret"}, 403, fnf.CodeSignatureNotMatch, []string{"POST&%2F&", "AccessKeyId%3Dtestid"}},
		{"wrong secret with an STS token", call{action: "ListFlows", secret: "othersecret", params: []string{"SecurityToken", "sts-token-value"}}, 403, fnf.CodeSignatureNotMatch, []string{"not quoted"}},
		{"wrong secret, V3", call{action: "ListFlows", secret: "othersecret", sig: "v3"}, 403, fnf.CodeSignatureNotMatch, []string{"ACS3-HMAC-SHA256"}},
		{"changed after signing", call{action: "StartSyncExecution", params: run(), tamper: func(r *http.Request) {
			r.URL.RawQuery += "&ExecutionName=injected"
		}}, 403, fnf.CodeSignatureNotMatch, nil},
		{"body changed after signing, V3", call{action: "StartSyncExecution", params: run(), sig: "v3", tamper: func(r *http.Request) {
			r.Body, r.ContentLength = readCloser("FlowName=wait-then-go"), int64(len("FlowName=wait-then-go"))
		}}, 403, fnf.CodeSignatureNotMatch, []string{"x-acs-content-sha256"}},
		{"clock behind", call{action: "ListFlows", at: time.Now().Add(-16 * time.Minute)}, 403, fnf.CodeRequestTimeTooSkewed, []string{"15m0s"}},
		{"clock ahead, V3", call{action: "ListFlows", sig: "v3", at: time.Now().Add(16 * time.Minute)}, 403, fnf.CodeRequestTimeTooSkewed, nil},
		{"bad timestamp", call{action: "ListFlows", stamp: "yesterday"}, 400, fnf.CodeInvalidArgument, []string{"Timestamp", "yesterday"}},
		{"V3 without a date", call{action: "ListFlows", sig: "v3", tamper: func(r *http.Request) { r.Header.Del("x-acs-date") }}, 400, fnf.CodeMissingRequiredHeader, []string{"x-acs-date"}},
		{"V3 without an action", call{action: "ListFlows", sig: "v3", tamper: func(r *http.Request) { r.Header.Del("x-acs-action") }}, 400, fnf.CodeMissingRequiredHeader, []string{"x-acs-action"}},
		{"V3 not signing its nonce", call{action: "ListFlows", sig: "v3", tamper: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";x-acs-signature-nonce", "", 1))
		}}, 400, fnf.CodeInvalidArgument, []string{"x-acs-signature-nonce"}},
		{"JSON body", call{action: "StartSyncExecution", tamper: func(r *http.Request) {
			r.Body, r.ContentLength = readCloser(`{"FlowName":"order-routing"}`), 28
			r.Header.Set("Content-Type", "application/json")
		}}, 415, fnf.CodeUnsupportedMediaType, []string{"application/json"}},
		{"body without a type", call{action: "StartSyncExecution", params: run(), tamper: func(r *http.Request) { r.Header.Del("Content-Type") }}, 415, fnf.CodeUnsupportedMediaType, nil},
		{"method", call{action: "ListFlows", method: http.MethodPut}, 405, "UnsupportedHTTPMethod", []string{"PUT"}},
		{"path", call{action: "ListFlows", method: http.MethodGet, tamper: func(r *http.Request) { r.URL.Path = "/flows" }}, 404, "InvalidURI", []string{"/flows"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ts.do(t, tt.call)
			wantError(t, a, tt.status, tt.code, tt.says...)
			if strings.Contains(string(a.raw), "sts-token-value") {
				t.Fatalf("the answer echoes the security token: %s", a.raw)
			}
		})
	}
}

func TestARequestOverOneMiBIsRefusedWithoutReadingIt(t *testing.T) {
	ts := start(t, Config{})
	big := `{"k":"` + strings.Repeat("x", MaxRequestBytes) + `"}`
	for _, c := range []call{
		{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", big}},
		{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", big}, sig: "v3"},
		// A body of unknown length is read up to the limit and one byte more.
		{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", big}, tamper: func(r *http.Request) { r.ContentLength = -1 }},
	} {
		wantError(t, ts.do(t, c), 400, fnf.CodeEntityTooLarge, "1048576 bytes")
	}
	// Just under the limit is read, and refused for what it says, not its size.
	under := `{"k":"` + strings.Repeat("x", 64<<10) + `"}`
	a := ts.do(t, call{action: "StartSyncExecution", params: []string{"FlowName", "order-routing", "Input", under}})
	if a.str("Code") == fnf.CodeEntityTooLarge {
		t.Fatalf("64 KiB refused as too large: %s", a.raw)
	}
}

func TestAReusedNonceIsRefusedAndAForgedOneBurnsNothing(t *testing.T) {
	ts := start(t, Config{})
	for _, sig := range []string{"v2", "v3"} {
		t.Run(sig, func(t *testing.T) {
			nonce := newNonce()
			// A request with a wrong signature must not use up the nonce.
			wantError(t, ts.do(t, call{action: "ListFlows", sig: sig, nonce: nonce, secret: "forged"}), 403, fnf.CodeSignatureNotMatch)
			wantOK(t, ts.do(t, call{action: "ListFlows", sig: sig, nonce: nonce}))
			wantError(t, ts.do(t, call{action: "ListFlows", sig: sig, nonce: nonce}), 400, fnf.CodeSignatureNonceUsed, nonce)
		})
	}
}

func TestAnSTSTokenIsAcceptedAndIgnored(t *testing.T) {
	ts := start(t, Config{})
	wantOK(t, ts.do(t, call{action: "ListFlows", params: []string{"SecurityToken", "sts-token-value"}}))
	c, err := client.NewCloud(client.Config{Endpoint: ts.URL, Signature: client.SignatureV3, HTTPClient: ts.hc,
		Credentials: client.StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret, SecurityToken: "sts-token-value"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListFlows(t.Context()); err != nil {
		t.Fatalf("V3 with x-acs-security-token: %v", err)
	}
	// A signature that does not match is explained without echoing the token.
	for _, sig := range []string{client.SignatureV2, client.SignatureV3} {
		c, err := client.NewCloud(client.Config{Endpoint: ts.URL, Signature: sig, HTTPClient: ts.hc,
			Credentials: client.StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: "othersecret", SecurityToken: "sts-token-value"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListFlows(t.Context())
		var ae *fnf.APIError
		if !errors.As(err, &ae) || ae.Code != fnf.CodeSignatureNotMatch || strings.Contains(ae.Message, "sts-token-value") {
			t.Fatalf("%s: %v", sig, err)
		}
	}
}

func TestTheClientReadsEveryErrorAsAnAPIError(t *testing.T) {
	ts := start(t, Config{})
	for _, sig := range []string{client.SignatureV2, client.SignatureV3} {
		_, err := ts.cloud(t, sig).StartSyncExecution(t.Context(), fnf.SyncRequest{FlowName: "nope"})
		var ae *fnf.APIError
		if !errors.As(err, &ae) || ae.HTTPStatus != 404 || ae.Code != fnf.CodeFlowNotExists || ae.RequestID == "" || ae.HostID == "" {
			t.Fatalf("%s: %#v", sig, err)
		}
	}
}
