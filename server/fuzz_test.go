package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzSignedRequest sends correctly signed requests with arbitrary actions
// and parameters, so that everything past authentication (form decoding,
// names, inputs, definitions, pagination) meets hostile values. The server
// must answer every one with its JSON body and a RequestId, and never panic.
func FuzzSignedRequest(f *testing.F) {
	f.Add("StartSyncExecution", "FlowName", "order-routing", "Input", `{"total":20,"country":"SG"}`, false, false)
	f.Add("ListFlows", "Limit", "0", "NextToken", "\x00", true, true)
	f.Add("CreateFlow", "Name", "x", "Definition", "Type: StateMachine\nStates: [", false, true)
	f.Add("DescribeFlow", "Name", "../../etc", "", "", true, false)
	f.Add("UpdateFlow", "Name", "builtin-tour", "Definition", "{", false, false)
	f.Add("DeleteFlow", "Name", "wait-then-go", "Name", "again", false, true)
	ts := start(f, Config{})
	f.Fuzz(func(t *testing.T, action, k1, v1, k2, v2 string, v3sig, inQuery bool) {
		if action == "StartSyncExecution" && (strings.Contains(v1, "wait") || strings.Contains(v2, "wait") || strings.Contains(v1, "charge")) {
			t.Skip("flows that wait for real time are out of a fuzz loop")
		}
		sig := "v2"
		if v3sig {
			sig = "v3"
		}
		req := ts.request(t, call{action: action, params: []string{k1, v1, k2, v2}, sig: sig, inQuery: inQuery})
		check(t, ts, req)
	})
}

// FuzzRawRequest sends arbitrary, mostly unsigned, requests.
func FuzzRawRequest(f *testing.F) {
	f.Add("POST", "Action=ListFlows&Version=2019-03-15", "application/x-www-form-urlencoded", []byte("a=%zz"), "")
	f.Add("GET", "Signature=%&&&", "", []byte(nil), "ACS3-HMAC-SHA256 Credential=,SignedHeaders=,Signature=")
	f.Add("PUT", "", "text/plain", []byte("{}"), "ACS3-HMAC-SHA256")
	ts := start(f, Config{})
	f.Fuzz(func(t *testing.T, method, query, contentType string, body []byte, auth string) {
		req, err := http.NewRequest(method, ts.URL+"/?"+query, strings.NewReader(string(body)))
		if err != nil {
			t.Skip()
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		check(t, ts, req)
	})
}

// check serves req in process and checks the shape of the answer.
func check(t *testing.T, ts *testServer, req *http.Request) {
	t.Helper()
	rec := httptest.NewRecorder()
	ts.Server.ServeHTTP(rec, req)
	if rec.Code < 200 || rec.Code > 599 {
		t.Fatalf("status %d", rec.Code)
	}
	var body map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("status %d, body is not JSON: %v\n%q", rec.Code, err, rec.Body.String())
	}
	if id, _ := body["RequestId"].(string); id == "" {
		t.Fatalf("status %d without a RequestId: %s", rec.Code, rec.Body.String())
	}
	if code, _ := body["Code"].(string); rec.Code >= 400 && code == "" {
		t.Fatalf("error %d without a Code: %s", rec.Code, rec.Body.String())
	}
}
