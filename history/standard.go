package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// FromStandard is the history row of a Standard execution started with
// StartExecution: as d says it is (Running just after the start; ended, once
// followed), or the error of a start that produced no execution. Only what
// was sent and what came back is kept: never a credential.
func FromStandard(info fnf.Info, req fnf.StartRequest, d *fnf.ExecutionDetail, err error, start time.Time) Run {
	r := Run{
		FlowName: req.FlowName, RequestedName: req.ExecutionName, Backend: info.Kind,
		Endpoint: info.Endpoint, Region: info.Region, Profile: info.Profile, TestCase: req.TestCase,
		ClientStart: start, Input: req.Input, InputBytes: len(req.Input), Mode: fnf.ModeStandard,
	}
	if d != nil {
		r.Observe(*d)
	}
	r.setErr(err, false)
	return r
}

// Observe takes into r what the service says of its execution now.
func (r *Run) Observe(d fnf.ExecutionDetail) {
	r.Name, r.Status, r.ErrorCode, r.ErrorMessage = d.Name, d.Status, d.ErrorCode, d.ErrorMessage
	if d.RequestId != "" {
		r.RequestID = d.RequestId
	}
	r.Output, r.OutputBytes = d.Output, len(d.Output)
	r.StartedTime, _ = fnf.ParseTime(d.StartedTime)
	r.StoppedTime, _ = fnf.ParseTime(d.StoppedTime)
	if d.Input != "" {
		// The execution's own input, not the request's: a start of a
		// name still running answers with that execution, whose input
		// is not the one sent.
		r.Input, r.InputBytes = d.Input, len(d.Input)
	}
}

// SetEvents keeps an execution's event history in r, encoded within the
// largest per-run budget (a store cuts it further to its own).
func (r *Run) SetEvents(events []fnf.Event) {
	r.Events = encodeEvents(events, 0, DefaultMaxRunBytes, DefaultMaxRunBytes)
}

// EventList decodes the run's stored events: nil for a run without them (an
// Express run, a Standard one not yet ended, a list row); an error when the
// stored text is not a JSON array of events. A history cut to the per-run
// budget ends with an event of Type TruncatedStep saying how much is missing.
func (r Run) EventList() ([]fnf.Event, error) {
	if r.Events == "" {
		return nil, nil
	}
	var events []fnf.Event
	if err := json.Unmarshal([]byte(r.Events), &events); err != nil {
		return nil, fmt.Errorf("run %d: the stored events (%d bytes) are not a list of events: %w", r.ID, len(r.Events), err)
	}
	return events, nil
}

// encodeEvents encodes events within limit bytes, after dropped events
// already left out; budget is the run's, for the note.
func encodeEvents(events []fnf.Event, dropped, limit, budget int) string {
	return encodeCut(events, dropped, limit, func(rest, total int) fnf.Event {
		detail, _ := json.Marshal(map[string]string{"flowtui.truncated": fmt.Sprintf(
			"%d of %d events not stored: the history of events passed what one run may store in the history (%d bytes)", rest, total, budget)})
		return fnf.Event{StepName: "(events truncated)", Type: TruncatedStep, EventDetail: string(detail)}
	})
}

// fitEvents cuts stored events to limit bytes; budget is the run's, for the note.
func fitEvents(text string, limit, budget int) string {
	var events []fnf.Event
	if json.Unmarshal([]byte(text), &events) != nil {
		events = nil
	}
	dropped := 0
	if k := len(events); k > 0 && events[k-1].Type == TruncatedStep {
		var note map[string]string
		if json.Unmarshal([]byte(events[k-1].EventDetail), &note) == nil {
			var total int
			fmt.Sscanf(note["flowtui.truncated"], "%d of %d", &dropped, &total)
		}
		events = events[:k-1]
	}
	return encodeEvents(events, dropped, limit, budget)
}

const (
	storedInputSQL = `SELECT input, (SELECT input_bytes FROM runs WHERE id = ?) FROM run_bodies WHERE run_id = ?`
	updateRunSQL   = `UPDATE runs SET name = ?, status = ?, error_code = ?, error_message = ?,
		request_id = coalesce(nullif(?, ''), request_id), http_status = ?, started_ms = ?, stopped_ms = ?,
		latency_us = coalesce(nullif(?, 0), latency_us),
		input_bytes = ?, output_bytes = ?, stored_bytes = ?, mode = ? WHERE id = ?`
	updateBodySQL = `UPDATE run_bodies SET input = ?, output = ?, errors = ?, trace = ?, events = ? WHERE run_id = ?`
	runningSQL    = `SELECT id FROM runs WHERE flow_name = ? AND name = ? AND status = 'Running'
		AND mode = 'Standard' AND backend = ? AND endpoint = ? ORDER BY id DESC LIMIT 1`
)

// Update rewrites run id with what became of its execution since it was
// added (a Standard execution that ended, or was seen to): its name,
// status, error, times, round trip, output and events, by the same
// redaction and per-run budget as Add. Its flow, backend, client start and
// pin stay; so do its input, request id and round trip when r has none
// (an execution seen to end by a later command knows only its end).
func (s *Store) Update(ctx context.Context, id int64, r Run) error {
	op := fmt.Sprintf("update run %d", id)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(s.path, op, err)
	}
	defer tx.Rollback()
	if r.Input == "" {
		// Already redacted: masking it again changes nothing.
		err := tx.QueryRowContext(ctx, storedInputSQL, id, id).Scan(&r.Input, &r.InputBytes)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("history %s: %s: %w", s.path, op, ErrNotFound)
		}
		if err != nil {
			return wrapErr(s.path, op, err)
		}
	}
	r, errText, stored := s.prepare(r)
	res, err := tx.ExecContext(ctx, updateRunSQL, r.Name, r.Status, r.ErrorCode, r.ErrorMessage,
		r.RequestID, r.HTTPStatus, msOrNull(r.StartedTime), msOrNull(r.StoppedTime), r.Latency.Microseconds(),
		r.InputBytes, r.OutputBytes, stored, r.Mode, id)
	if err != nil {
		return wrapErr(s.path, op, err)
	}
	if err := s.changedOne(res, op); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, updateBodySQL, r.Input, r.Output, errText, r.Trace, r.Events, id); err != nil {
		return wrapErr(s.path, op, err)
	}
	if err := tx.Commit(); err != nil {
		return wrapErr(s.path, op, err)
	}
	return nil
}

// FindRunning returns the id of the newest run recorded Running for the
// Standard execution name of flow on that backend (kind and endpoint, as
// fnf.Info says them), or an error wrapping ErrNotFound: the row that an
// execution seen to end afterwards brings up to date.
func (s *Store) FindRunning(ctx context.Context, info fnf.Info, flow, name string) (int64, error) {
	op := fmt.Sprintf("find the running execution %s of flow %s", name, flow)
	st, err := s.stmt(ctx, nil, runningSQL)
	if err != nil {
		return 0, wrapErr(s.path, op, err)
	}
	var id int64
	err = st.QueryRowContext(ctx, flow, name, info.Kind, info.Endpoint).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("history %s: %s: %w", s.path, op, ErrNotFound)
	}
	if err != nil {
		return 0, wrapErr(s.path, op, err)
	}
	return id, nil
}

// AddRunning records r, a Standard execution that its start answered
// Running, unless a row already holds that execution Running (the same
// flow, name and backend: a start of a name still running answers with
// that execution). Then it returns that row's id and existed, and writes
// nothing. The check and the insert are one transaction, taken at once
// (immediate), so that starts of one name at the same moment, from any
// number of processes, leave one row.
func (s *Store) AddRunning(ctx context.Context, info fnf.Info, r Run) (id int64, existed bool, err error) {
	if r.FlowName == "" || r.Name == "" {
		return 0, false, fmt.Errorf("history %s: add: a running execution needs a flow and a name", s.path)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, wrapErr(s.path, "add", err)
	}
	defer tx.Rollback()
	st, err := s.stmt(ctx, tx, runningSQL)
	if err != nil {
		return 0, false, wrapErr(s.path, "add", err)
	}
	switch err := st.QueryRowContext(ctx, r.FlowName, r.Name, info.Kind, info.Endpoint).Scan(&id); {
	case err == nil:
		return id, true, nil
	case !errors.Is(err, sql.ErrNoRows):
		return 0, false, wrapErr(s.path, "add", err)
	}
	id, err = s.addTx(ctx, tx, r)
	return id, false, err
}
