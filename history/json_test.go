package history

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestRunJSON(t *testing.T) {
	r := sampleRun("a", 0)
	r.ID = 7
	list, _ := json.Marshal(r.JSON(false))
	want := `{"Id":7,"FlowName":"a","Name":"req-0:uuid-0","Status":"Succeeded","ErrorCode":"","ErrorMessage":"",` +
		`"StartedTime":"2026-11-02T10:00:00.005Z","StoppedTime":"2026-11-02T10:00:00.137Z","DurationMs":132,` +
		`"LatencyMs":150,"Backend":"local","Endpoint":"/flows"}`
	if string(list) != want {
		t.Errorf("JSON(false) =\n%s\nwant\n%s", list, want)
	}
	show, _ := json.Marshal(r.JSON(true))
	wantShow := strings.TrimSuffix(want, "}") + `,"Input":` + quote(r.Input) + `,"Output":` + quote(r.Output) + "}"
	if string(show) != wantShow {
		t.Errorf("JSON(true) =\n%s\nwant\n%s", show, wantShow)
	}
	empty, _ := json.Marshal(Run{ID: 1}.JSON(false))
	if !strings.Contains(string(empty), `"StartedTime":"","StoppedTime":"","DurationMs":0`) {
		t.Errorf("unknown times: %s", empty)
	}
}

func TestExportJSONLines(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	for i := range 3 {
		mustAdd(t, s, sampleRun("a", i))
	}
	mustAdd(t, s, sampleRun("b", 3))
	var buf bytes.Buffer
	if err := s.Export(ctx, Filter{Flow: "a"}, &buf); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(&buf)
	var got []ExportJSON
	for sc.Scan() {
		var e ExportJSON
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		got = append(got, e)
	}
	if len(got) != 3 {
		t.Fatalf("exported %d lines, want 3", len(got))
	}
	for i, e := range got {
		want := sampleRun("a", i)
		if e.Id != int64(i+1) || e.Input != want.Input || e.Output != want.Output || e.Trace != want.Trace ||
			e.RequestId != want.RequestID || e.ClientStart != apiTime(want.ClientStart) || e.DurationMs != 132 {
			t.Errorf("line %d = %+v", i, e)
		}
	}
	buf.Reset()
	if err := s.Export(ctx, Filter{Search: "A-3"}, &buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 1 || !strings.Contains(buf.String(), `"FlowName":"b"`) {
		t.Errorf("search export = %q", buf.String())
	}
}

func TestFromSync(t *testing.T) {
	req := fnf.SyncRequest{FlowName: "order-flow", ExecutionName: "try1", Input: `{"a":1}`, TestCase: "HappyPath"}
	info := fnf.Info{Kind: fnf.KindCloud, Endpoint: "https://cn-hangzhou.fnf.aliyuncs.com", Region: "cn-hangzhou", Profile: "default"}
	res := &fnf.SyncResult{
		Execution: fnf.Execution{RequestId: "rid", FlowName: "order-flow", Name: "try1:uuid", Status: "Failed",
			ErrorCode: "Card.Declined", ErrorMessage: "no funds", Output: `{"x":1}`,
			StartedTime: "2026-11-02T10:00:00.005Z", StoppedTime: "2026-11-02T10:00:00.137Z"},
		HTTPStatus: 200, Latency: 150 * time.Millisecond,
		Trace: []fnf.Step{{State: "Charge", Type: "Task", Attempt: 1}},
	}
	r := FromSync(info, req, res, nil, t0, false)
	if r.FlowName != "order-flow" || r.RequestedName != "try1" || r.Name != "try1:uuid" || r.Status != "Failed" ||
		r.ErrorCode != "Card.Declined" || r.Backend != "cloud" || r.Region != "cn-hangzhou" || r.Profile != "default" ||
		r.TestCase != "HappyPath" || r.Input != `{"a":1}` || r.Output != `{"x":1}` || r.HTTPStatus != 200 ||
		r.RequestID != "rid" || r.Duration() != 132*time.Millisecond || r.Latency != 150*time.Millisecond ||
		!r.ClientStart.Equal(t0) || !strings.Contains(r.Trace, `"State":"Charge"`) {
		t.Errorf("FromSync(result) = %+v", r)
	}

	apiErr := &fnf.APIError{HTTPStatus: 400, Code: "FlowNotExists", Message: "flow x does not exist", RequestID: "rid2"}
	r = FromSync(info, req, nil, apiErr, t0, false)
	if r.Status != fnf.StatusError || r.ErrorCode != "FlowNotExists" || r.ErrorMessage != "flow x does not exist" ||
		r.HTTPStatus != 400 || r.RequestID != "rid2" || !r.StartedTime.IsZero() {
		t.Errorf("FromSync(API error) = %+v", r)
	}
	r = FromSync(info, req, nil, errors.New("dial tcp: connection refused"), t0, false)
	if r.Status != fnf.StatusError || r.ErrorCode != "" || !strings.Contains(r.ErrorMessage, "connection refused") {
		t.Errorf("FromSync(transport error) = %+v", r)
	}
	r = FromSync(info, req, nil, context.Canceled, t0, true)
	if r.Status != fnf.StatusCancelled {
		t.Errorf("FromSync(cancelled) status = %q", r.Status)
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", "/state")
	if p, err := DefaultPath(); err != nil || p != "/state/flowtui/history.db" {
		t.Errorf("with XDG_STATE_HOME: %q, %v", p, err)
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/u")
	if p, err := DefaultPath(); err != nil || p != "/home/u/.local/state/flowtui/history.db" {
		t.Errorf("without XDG_STATE_HOME: %q, %v", p, err)
	}
}
