package history

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// loopResult is a local run of a one-state Pass self-loop: many steps, each
// carrying the same input.
func loopResult(steps int) *fnf.SyncResult {
	in := `{"payload":"` + strings.Repeat("x", 200) + `"}`
	trace := make([]fnf.Step, steps)
	for i := range trace {
		trace[i] = fnf.Step{State: "Again", Type: "Pass", Input: in, Output: in, Start: t0}
	}
	return &fnf.SyncResult{Execution: fnf.Execution{Name: "e:1", Status: fnf.StatusFailed, ErrorCode: "FnF.Timeout"}, Trace: trace}
}

func TestALoopingRunNeitherWipesTheHistoryNorPassesItsBudget(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxBytes: 20_000_000})
	for i := range 30 {
		mustAdd(t, s, sampleRun("older", i))
	}
	// About 150 MB of trace, as a looping flow wrote before the engine
	// enforced the event limit.
	rec := FromSync(fnf.Info{Kind: BackendLocal}, fnf.SyncRequest{FlowName: "loop", Input: `{}`}, loopResult(300_000), nil, t0, false)
	id := mustAdd(t, s, rec)
	if _, err := s.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if older, _ := s.List(ctx, Filter{Flow: "older"}); len(older) != 30 {
		t.Errorf("%d of the 30 older runs are left", len(older))
	}
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Trace) > DefaultMaxRunBytes {
		t.Errorf("stored trace is %d bytes; the per-run budget is %d", len(got.Trace), DefaultMaxRunBytes)
	}
	var steps []fnf.Step
	if err := json.Unmarshal([]byte(got.Trace), &steps); err != nil {
		t.Fatalf("stored trace is not a list of steps: %v", err)
	}
	last := steps[len(steps)-1]
	if last.Type != TruncatedStep || !strings.Contains(last.Error, "of 300000 steps not stored") {
		t.Errorf("last stored step %+v does not say the trace was cut", last)
	}
	if note := TraceNote(got.Trace); note != last.Error {
		t.Errorf("TraceNote = %q; want %q", note, last.Error)
	}
	checkIntegrity(t, s)
}

func TestARunIsCutToAQuarterOfASmallCap(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{MaxBytes: 400_000})
	for i := range 5 {
		mustAdd(t, s, sampleRun("older", i))
	}
	big := sampleRun("big", 9)
	big.Input = `{"s":"` + strings.Repeat("y", 300_000) + `"}`
	big.ErrorMessage = strings.Repeat("é", 20_000)
	id := mustAdd(t, s, big)
	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got.Input, "flowtui.truncated") || !strings.Contains(got.Input, "300008 bytes") || !json.Valid([]byte(got.Input)) {
		t.Errorf("stored input %.200q; want a JSON note that it was not recorded", got.Input)
	}
	if got.InputBytes != len(big.Input) {
		t.Errorf("InputBytes = %d; want the size as run, %d", got.InputBytes, len(big.Input))
	}
	if len(got.ErrorMessage) > maxErrorBytes || !strings.HasSuffix(got.ErrorMessage, "more bytes not stored)") {
		t.Errorf("stored error message of %d bytes ends %q", len(got.ErrorMessage), got.ErrorMessage[len(got.ErrorMessage)-40:])
	}
	if older, _ := s.List(ctx, Filter{Flow: "older"}); len(older) != 5 {
		t.Errorf("%d of the 5 older runs are left", len(older))
	}
}

func TestARunLargerThanTheCapIsPrunedBeforeAnyOlderRun(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	for i := range 20 {
		mustAdd(t, s, sampleRun("older", i))
	}
	// A run stored before runs had a budget: 6 MB of trace.
	huge := mustAdd(t, s, sampleRun("huge", 20))
	trace := strings.Repeat("z", 6_000_000)
	for _, q := range []string{
		`UPDATE run_bodies SET trace = ? WHERE run_id = ?`,
		`UPDATE runs SET stored_bytes = stored_bytes + length(?) WHERE id = ?`,
	} {
		if _, err := s.db.ExecContext(ctx, q, trace, huge); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE stats SET bytes = (SELECT sum(stored_bytes) FROM runs)`); err != nil {
		t.Fatal(err)
	}
	s.opts.MaxBytes = 5_000_000
	mustAdd(t, s, sampleRun("newer", 21))
	if _, err := s.Prune(ctx); err != nil {
		t.Fatal(err)
	}
	if older, _ := s.List(ctx, Filter{Flow: "older"}); len(older) != 20 {
		t.Errorf("%d of the 20 older runs are left", len(older))
	}
	if _, err := s.Get(ctx, huge); err == nil {
		t.Errorf("the run larger than the cap is still there")
	}
	checkIntegrity(t, s)
}
