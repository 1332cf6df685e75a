package fnftest

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestPagination(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock))
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		s.AddFlows(Flow{Name: n})
	}
	var got [][]string
	token := ""
	for page := 0; ; page++ {
		p := url.Values{"Limit": {"2"}}
		if token != "" {
			p.Set("NextToken", token)
		}
		status, m := do(t, s, spec{v3: page%2 == 1, params: p})
		if status != 200 {
			t.Fatalf("page %d: status %d", page, status)
		}
		got = append(got, flowNames(t, m))
		raw, ok := m["NextToken"]
		if !ok {
			break
		}
		if err := json.Unmarshal(raw, &token); err != nil || token == "" {
			t.Fatalf("NextToken %s", raw)
		}
	}
	want := [][]string{{"a", "b"}, {"c", "d"}, {"e"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("pages %v, want %v", got, want)
	}

	// Default limit covers everything; an empty list is [] not null.
	_, m := do(t, s, spec{})
	if n := flowNames(t, m); len(n) != 5 {
		t.Errorf("default page %v", n)
	}
	empty := New(t, WithClock(fixedClock))
	_, m = do(t, empty, spec{})
	if string(m["Flows"]) != "[]" {
		t.Errorf("empty Flows %s", m["Flows"])
	}
}

func TestDescribeFlowAndDefaults(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock), WithFlows(Flow{Name: "f", Description: "d"}))
	s.AddFlows(Flow{Name: "f", Description: "replaced", Type: "DEFAULT", ExecutionMode: "Standard"})
	status, m := do(t, s, spec{action: "DescribeFlow", params: url.Values{"Name": {"f"}}})
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	var f Flow
	raw, _ := json.Marshal(m)
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	if f.Description != "replaced" || f.Type != "DEFAULT" || f.ExecutionMode != "Standard" || f.Id == "" ||
		f.CreatedTime != "2024-01-02T03:04:05.000Z" || f.LastModifiedTime != f.CreatedTime {
		t.Errorf("flow %+v", f)
	}
	if str(t, m, "RequestId") == "" {
		t.Error("no RequestId")
	}
	if s.Count("DescribeFlow") != 1 || s.Count("") != 1 || s.Count("ListFlows") != 0 {
		t.Errorf("counts wrong: %+v", s.Requests())
	}
}

func TestStartSyncDefault(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock), WithFlows(testFlows()...))
	input := `{"status":"ready"}`
	for _, v3 := range []bool{false, true} {
		status, m := do(t, s, spec{v3: v3, method: http.MethodPost, action: "StartSyncExecution",
			params: url.Values{"FlowName": {"my_flow"}, "ExecutionName": {"run_1"}, "Input": {input}, "Qualifier": {"v1"}}})
		if status != 200 {
			t.Fatalf("status %d %s", status, str(t, m, "Message"))
		}
		if !regexp.MustCompile(`^run_1:[0-9a-f-]{36}$`).MatchString(str(t, m, "Name")) {
			t.Errorf("Name %q", str(t, m, "Name"))
		}
		if str(t, m, "Status") != "Succeeded" || str(t, m, "Output") != input || str(t, m, "FlowName") != "my_flow" ||
			str(t, m, "StartedTime") != "2024-01-02T03:04:05.000Z" || str(t, m, "StoppedTime") == "" {
			t.Errorf("reply %v", m)
		}
		for _, k := range []string{"ErrorCode", "ErrorMessage"} {
			if _, ok := m[k]; !ok {
				t.Errorf("missing %s", k)
			}
		}
	}
	_, m := do(t, s, spec{method: http.MethodPost, action: "StartSyncExecution", params: url.Values{"FlowName": {"my_flow"}}})
	if str(t, m, "Output") != "{}" || strings.Contains(str(t, m, "Name"), ":") {
		t.Errorf("no-input reply %v", m)
	}

	r := s.Requests()[0]
	if r.SignatureVersion != "v2" || r.Method != "POST" || r.ContentType != formType || !r.Verified ||
		r.Params.Get("Input") != input || r.Params.Get("Action") != "StartSyncExecution" || r.Params.Has("Signature") ||
		r.AccessKeyID != "testid" || r.Nonce == "" || r.Timestamp != "2024-01-02T03:04:05Z" {
		t.Errorf("recorded v2 %+v", r)
	}
	if r := s.Requests()[1]; r.SignatureVersion != "v3" || r.Action != "StartSyncExecution" || r.Params.Get("Qualifier") != "v1" ||
		!strings.HasPrefix(r.Header.Get("Authorization"), v3Algorithm) {
		t.Errorf("recorded v3 %+v", r)
	}
}

func TestOnStartSync(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock), WithFlows(testFlows()...))
	calls := make(chan SyncCall, 4)
	s.OnStartSync(func(c SyncCall) SyncReply {
		calls <- c
		if c.ExecutionName == "slow" {
			return SyncReply{Delay: time.Hour}
		}
		return SyncReply{Status: "Failed", ErrorCode: "States.Runtime", ErrorMessage: "boom"}
	})
	params := url.Values{"FlowName": {"my_flow"}, "ExecutionName": {"x"}, "Input": {"{}"}, "Qualifier": {"q"}}
	_, m := do(t, s, spec{v3: true, method: http.MethodPost, action: "StartSyncExecution", params: params})
	if str(t, m, "Status") != "Failed" || str(t, m, "ErrorCode") != "States.Runtime" || str(t, m, "Output") != "" {
		t.Errorf("reply %v", m)
	}
	if c := <-calls; c != (SyncCall{"my_flow", "x", "{}", "q"}) {
		t.Errorf("call %+v", c)
	}

	// A delayed answer gives way to the client's cancellation.
	params.Set("ExecutionName", "slow")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req := spec{method: http.MethodPost, action: "StartSyncExecution", params: params}.request(t, s.URL)
	if _, err := s.Client().Do(req.WithContext(ctx)); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want deadline exceeded", err)
	}
}

func TestInjectionOrder(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock), WithFlows(testFlows()...))
	s.FailNext("ListFlows", 1, http.StatusBadGateway, "<html>bad gateway</html>")
	s.FailNextCode("", 2, http.StatusServiceUnavailable, "ServiceUnavailable", "busy")
	s.FailNext("DescribeFlow", 1, http.StatusInternalServerError, `{"Code":"InternalError","Message":"x"}`)

	send := func(sp spec) (int, string) {
		resp, err := s.Client().Do(sp.request(t, s.URL))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m["Code"]
	}
	describe := spec{action: "DescribeFlow", params: url.Values{"Name": {"my_flow"}}}
	// Injections are served before verification, so a bad signature still
	// gets the canned answer.
	steps := []struct {
		sp     spec
		status int
		code   string
	}{
		{spec{secret: "wrong", action: "DescribeFlow"}, 503, "ServiceUnavailable"},
		{spec{}, 502, ""},
		{spec{}, 503, "ServiceUnavailable"},
		{describe, 500, "InternalError"},
		{describe, 200, ""},
		{spec{v3: true}, 200, ""},
	}
	for i, st := range steps {
		if status, code := send(st.sp); status != st.status || code != st.code {
			t.Errorf("step %d: %d %q, want %d %q", i, status, code, st.status, st.code)
		}
	}
	reqs := s.Requests()
	if len(reqs) != len(steps) {
		t.Fatalf("%d requests recorded", len(reqs))
	}
	for i, r := range reqs {
		if r.Status != steps[i].status || r.Code != steps[i].code || r.Verified != (i >= 4) {
			t.Errorf("request %d recorded %d %q verified=%v", i, r.Status, r.Code, r.Verified)
		}
	}
}

func TestHangNext(t *testing.T) {
	t.Parallel()
	s := New(t, WithClock(fixedClock))
	s.HangNext("ListFlows", 1)
	c := s.Client()
	c.Timeout = 150 * time.Millisecond
	_, err := c.Do(spec{}.request(t, s.URL))
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("err %v, want timeout", err)
	}
	if status, _ := do(t, s, spec{}); status != 200 {
		t.Errorf("after hang: %d", status)
	}
	if s.Count("ListFlows") != 2 || s.Requests()[0].Status != 0 {
		t.Errorf("requests %+v", s.Requests())
	}
}

func TestHangReleasedAtCleanup(t *testing.T) {
	t.Parallel()
	// A hung request whose client never gives up must not block Close.
	s := New(t)
	s.HangNext("", 1)
	req, client := spec{}.request(t, s.URL), s.Client()
	go func() { // must not touch t: it outlives the test
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	for s.Count("") == 0 {
		time.Sleep(5 * time.Millisecond)
	}
}

func TestResetNext(t *testing.T) {
	t.Parallel()
	for _, tls := range []bool{false, true} {
		opts := []Option{WithClock(fixedClock)}
		if tls {
			opts = append(opts, WithTLS())
		}
		s := New(t, opts...)
		if !strings.HasPrefix(s.URL, map[bool]string{false: "http://127.0.0.1:", true: "https://127.0.0.1:"}[tls]) {
			t.Errorf("URL %s", s.URL)
		}
		s.ResetNext("", 1)
		// POST is not retried by the transport even on a reused connection.
		_, err := s.Client().Do(spec{method: http.MethodPost, action: "ListFlows", params: url.Values{"Limit": {"1"}}}.request(t, s.URL))
		if err == nil {
			t.Fatalf("tls=%v: reset request succeeded", tls)
		}
		if status, _ := do(t, s, spec{v3: true}); status != 200 {
			t.Errorf("tls=%v: after reset: %d", tls, status)
		}
		if s.Count("") != 2 {
			t.Errorf("tls=%v: %d requests", tls, s.Count(""))
		}
	}
}
