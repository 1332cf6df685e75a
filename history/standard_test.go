package history

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

var standardInfo = fnf.Info{Kind: fnf.KindCloud, Endpoint: "https://cn-hangzhou.fnf.aliyuncs.com", Region: "cn-hangzhou", Profile: "env"}

func startedRun(flow, name string) Run {
	req := fnf.StartRequest{FlowName: flow, ExecutionName: name, Input: `{"order":"A-1","password":"hunter22"}`}
	d := fnf.ExecutionDetail{FlowName: flow, Name: name, Status: fnf.StatusRunning, StartedTime: "2026-11-02T10:00:00.000Z", RequestId: "rid-start"}
	return FromStandard(standardInfo, req, &d, nil, t0)
}

func TestAStandardRunIsRecordedRunningThenUpdatedWithItsEnd(t *testing.T) {
	s := openTest(t, Options{})
	ctx := context.Background()
	id := mustAdd(t, s, startedRun("orders", "night-1"))

	found, err := s.FindRunning(ctx, standardInfo, "orders", "night-1")
	if err != nil || found != id {
		t.Fatalf("FindRunning = %d, %v; want %d", found, err, id)
	}
	end := startedRun("orders", "night-1")
	end.Input = "" // as `executions show` knows it: the stored input stays
	end.Observe(fnf.ExecutionDetail{FlowName: "orders", Name: "night-1", Status: fnf.StatusSucceeded,
		Output: `{"token":"abc123","ok":true}`, StartedTime: "2026-11-02T10:00:00.000Z", StoppedTime: "2026-11-02T10:05:00.000Z"})
	end.Latency = 5 * time.Minute
	end.SetEvents([]fnf.Event{
		{EventId: 1, Type: fnf.EventExecutionStarted, Time: "2026-11-02T10:00:00.000Z", EventDetail: `{"input":"{\"password\":\"hunter22\"}"}`},
		{EventId: 2, Type: fnf.EventExecutionSucceeded, Time: "2026-11-02T10:05:00.000Z", EventDetail: `{}`},
	})
	if err := s.Update(ctx, id, end); err != nil {
		t.Fatalf("Update: %v", err)
	}
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != fnf.StatusSucceeded || got.Mode != fnf.ModeStandard || got.Name != "night-1" ||
		got.Duration() != 5*time.Minute || got.Latency != 5*time.Minute || !got.ClientStart.Equal(t0) {
		t.Errorf("updated run = %+v", got)
	}
	if got.Input != `{"order":"A-1","password":"***"}` {
		t.Errorf("the input = %s, want the stored input, redacted", got.Input)
	}
	if strings.Contains(got.Output, "abc123") || strings.Contains(got.Events, "hunter22") {
		t.Errorf("a secret was stored: output %s events %s", got.Output, got.Events)
	}
	events, err := got.EventList()
	if err != nil || len(events) != 2 || events[1].Type != fnf.EventExecutionSucceeded {
		t.Errorf("EventList = %+v, %v", events, err)
	}
	if _, err := s.FindRunning(ctx, standardInfo, "orders", "night-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindRunning after the end = %v, want ErrNotFound", err)
	}
	if got, _ := s.List(ctx, Filter{Status: fnf.StatusSucceeded}); len(got) != 1 || got[0].Mode != fnf.ModeStandard {
		t.Errorf("List = %+v", got)
	}
	checkIntegrity(t, s)
	checkBytes(t, s)
}

func TestFindRunningTellsBackendsApart(t *testing.T) {
	s := openTest(t, Options{})
	mustAdd(t, s, startedRun("orders", "night-1"))
	other := standardInfo
	other.Endpoint = "http://127.0.0.1:9791"
	if _, err := s.FindRunning(context.Background(), other, "orders", "night-1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("FindRunning on another endpoint = %v, want ErrNotFound", err)
	}
	if err := s.Update(context.Background(), 99, startedRun("orders", "x")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Update of no run = %v, want ErrNotFound", err)
	}
}

func TestLongEventHistoriesAreCutToTheRunBudget(t *testing.T) {
	s := openTest(t, Options{MaxRunBytes: 16 << 10})
	r := startedRun("orders", "loop")
	events := make([]fnf.Event, 2000)
	for i := range events {
		events[i] = fnf.Event{EventId: int64(i + 1), StepName: "Again", Type: fnf.EventStepEntered, Time: "2026-11-02T10:00:00.000Z", EventDetail: `{"n":1}`}
	}
	r.SetEvents(events)
	id := mustAdd(t, s, r)
	got, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Events) > 16<<10 {
		t.Errorf("stored %d bytes of events, over the 16 KiB budget", len(got.Events))
	}
	list, err := got.EventList()
	if err != nil || len(list) < 2 {
		t.Fatalf("EventList = %d events, %v", len(list), err)
	}
	last := list[len(list)-1]
	if last.Type != TruncatedStep || !strings.Contains(last.EventDetail, "of 2000 events not stored") {
		t.Errorf("the last event = %+v, want the note of what was cut", last)
	}
}

// A history written before Standard runs is migrated in place: its runs
// stay, readable, and the new columns are empty.
func TestAVersion1HistoryIsMigratedKeepingItsRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	db := rawDB(t, path)
	if _, err := db.Exec(schemaV1 + `PRAGMA user_version = 1; PRAGMA application_id = 1718383733;
		INSERT INTO runs (flow_name, name, status, client_start_ms, stored_bytes) VALUES ('old', 'x:1', 'Succeeded', 1000, 600);
		INSERT INTO run_bodies (run_id, input, output) VALUES (1, '{"a":1}', '{"b":2}');`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s := openTest(t, Options{Path: path})
	got, err := s.Get(context.Background(), 1)
	if err != nil || got.FlowName != "old" || got.Output != `{"b":2}` || got.Mode != "" || got.Events != "" {
		t.Fatalf("the old run after the migration = %+v, %v", got, err)
	}
	var version int
	s.db.QueryRow(`SELECT user_version FROM pragma_user_version`).Scan(&version)
	if version != schemaVersion {
		t.Errorf("user_version = %d, want %d", version, schemaVersion)
	}
	id := mustAdd(t, s, startedRun("orders", "n"))
	if err := s.Update(context.Background(), id, startedRun("orders", "n")); err != nil {
		t.Fatal(err)
	}
	checkIntegrity(t, s)
	checkBytes(t, s)
}

// checkBytes: the byte count the caps go by is the sum of the runs' sizes,
// after updates too.
func checkBytes(t *testing.T, s *Store) {
	t.Helper()
	var counted, sum int64
	if err := s.db.QueryRow(`SELECT (SELECT bytes FROM stats), (SELECT coalesce(sum(stored_bytes), 0) FROM runs)`).Scan(&counted, &sum); err != nil {
		t.Fatal(err)
	}
	if counted != sum {
		t.Errorf("stats counts %d bytes, the runs hold %d", counted, sum)
	}
}

// A start of a name still running answers with that execution: its row
// keeps the execution's own input, not the one the request sent.
func TestFromStandardKeepsTheExecutionsOwnInput(t *testing.T) {
	req := fnf.StartRequest{FlowName: "f", ExecutionName: "same1", Input: `{"seconds":1,"other":1}`}
	d := fnf.ExecutionDetail{FlowName: "f", Name: "same1", Status: fnf.StatusRunning, Input: `{"seconds":3}`}
	r := FromStandard(fnf.Info{Kind: fnf.KindCloud}, req, &d, nil, time.Now())
	if r.Input != `{"seconds":3}` || r.InputBytes != len(`{"seconds":3}`) {
		t.Errorf("Input %q (%d bytes), want the execution's own", r.Input, r.InputBytes)
	}
	d.Input = "" // an answer without it: the request's is all there is
	if r := FromStandard(fnf.Info{Kind: fnf.KindCloud}, req, &d, nil, time.Now()); r.Input != req.Input {
		t.Errorf("Input %q, want the request's", r.Input)
	}
}

// Starts of one execution name at the same moment (a script starting it
// ten times with --no-wait; the service answers each with the one execution)
// leave one Running row, whether the starts come from one process or from
// several with the history file open each.
func TestStartsOfOneNameAtOnceLeaveOneRow(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.db")
	a, b := openTest(t, Options{Path: path}), openTest(t, Options{Path: path})
	ids := make(chan int64, 10)
	errs := make(chan error, 10)
	for i := range 10 {
		s := a
		if i%2 == 1 {
			s = b
		}
		go func() {
			id, _, err := s.AddRunning(context.Background(), standardInfo, startedRun("orders", "race-1"))
			ids <- id
			errs <- err
		}()
	}
	var first int64
	for range 10 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		id := <-ids
		if first == 0 {
			first = id
		}
		if id != first {
			t.Fatalf("rows %d and %d for one execution", first, id)
		}
	}
	if n, err := a.Count(context.Background()); err != nil || n != 1 {
		t.Fatalf("%d rows, %v; want 1", n, err)
	}
	// Another backend's execution of the same name is another row.
	other := standardInfo
	other.Endpoint = "http://127.0.0.1:9791"
	r := startedRun("orders", "race-1")
	r.Endpoint = other.Endpoint
	if _, existed, err := a.AddRunning(context.Background(), other, r); err != nil || existed {
		t.Fatalf("another backend's execution: existed %v, %v", existed, err)
	}
}
