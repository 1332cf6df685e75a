package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"
)

const (
	// pruneOnAdd bounds the runs one Add deletes to stay within the caps, so
	// that recording a run never stalls on a large clean-up; Prune catches up.
	pruneOnAdd = 8
	// pruneBatch is the runs one Prune transaction deletes, so that other
	// writers get the lock between batches.
	pruneBatch = 500
	// rowOverhead approximates the metadata, index and full-text bytes of a
	// run beyond its text, for sizing prunes.
	rowOverhead = 512
	// lowWaterPercent is the share of MaxBytes a byte prune aims for, so
	// that an explicit Prune leaves room before the next one is due.
	lowWaterPercent = 95
)

const (
	insertRunSQL = `INSERT INTO runs (flow_name, requested_name, name, backend, endpoint,
		region, profile, test_case, status, error_code, error_message, request_id, http_status,
		started_ms, stopped_ms, client_start_ms, latency_us, input_bytes, output_bytes, stored_bytes, pinned, mode)
		VALUES (?,?,?,?,?, ?,?,?,?,?, ?,?,?,?,?, ?,?,?,?,?, ?,?)`
	insertBodySQL = `INSERT INTO run_bodies (run_id, input, output, errors, trace, events) VALUES (?,?,?,?,?,?)`
	capsSQL       = `SELECT runs, bytes, (SELECT page_count FROM pragma_page_count),
		(SELECT freelist_count FROM pragma_freelist_count), (SELECT page_size FROM pragma_page_size)
		FROM stats`
	prunableSQL = `SELECT id, stored_bytes FROM runs WHERE pinned = 0 AND id < ? ORDER BY id LIMIT ?`
	pruneSQL    = `DELETE FROM runs WHERE pinned = 0 AND id <= ?`
)

// Add records r (its ID is ignored) and returns the new ID. Values under the
// redacted keys are masked first. When the history is over a cap, Add also
// deletes, in the same transaction, a few of the oldest unpinned runs (never
// the one it adds): about as much as it adds, so a full history stays full
// without Add ever doing a large clean-up.
func (s *Store) Add(ctx context.Context, r Run) (int64, error) {
	if r.FlowName == "" {
		return 0, fmt.Errorf("history %s: add: the run has no flow name", s.path)
	}
	if r.Status == "" {
		return 0, fmt.Errorf("history %s: add: run of flow %q has no status", s.path, r.FlowName)
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	defer tx.Rollback()
	return s.addTx(ctx, tx, r)
}

// addTx inserts r and commits tx (Add, AddRunning).
func (s *Store) addTx(ctx context.Context, tx *sql.Tx, r Run) (int64, error) {
	r, errText, stored := s.prepare(r)
	ins, err := s.stmt(ctx, tx, insertRunSQL)
	if err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	res, err := ins.ExecContext(ctx, r.FlowName, r.RequestedName, r.Name, r.Backend, r.Endpoint,
		r.Region, r.Profile, r.TestCase, r.Status, r.ErrorCode,
		r.ErrorMessage, r.RequestID, r.HTTPStatus, msOrNull(r.StartedTime), msOrNull(r.StoppedTime),
		r.ClientStart.UnixMilli(), r.Latency.Microseconds(), r.InputBytes, r.OutputBytes, stored,
		r.Pinned, r.Mode)
	if err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	insBody, err := s.stmt(ctx, tx, insertBodySQL)
	if err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	if _, err := insBody.ExecContext(ctx, id, r.Input, r.Output, errText, r.Trace, r.Events); err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	if _, err := s.pruneTx(ctx, tx, id, pruneOnAdd, 2*int64(stored)); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, wrapErr(s.path, "add", err)
	}
	return id, nil
}

// prepare is what Add and Update store of r: sizes and the client start
// filled in, the bodies redacted and cut to the per-run budget; with the
// text of the errors column and the bytes the run stores.
func (s *Store) prepare(r Run) (Run, string, int) {
	if r.InputBytes == 0 {
		r.InputBytes = len(r.Input)
	}
	if r.OutputBytes == 0 {
		r.OutputBytes = len(r.Output)
	}
	if r.ClientStart.IsZero() {
		r.ClientStart = s.opts.Now()
	}
	// Values under redacted keys are masked in the JSON bodies, and in every
	// other stored text wherever they or the input show, encoded or not (a
	// SignatureNotMatch message quotes the URL-encoded request). The error
	// message is scrubbed before it is cut, so no secret is cut in half;
	// the rest after, on bounded text.
	masked := s.red.text(r.Input)
	scrub := s.red.scrubberFor(r.Input, masked, r.Output)
	r.ErrorMessage = scrub.text(r.ErrorMessage)
	r.Input = masked
	r = fit(r, runBudget(s.opts.MaxRunBytes, s.opts.MaxBytes))
	r.Input = scrub.text(r.Input)
	r.Output = scrub.text(s.red.text(r.Output))
	r.Trace = scrub.text(s.red.text(r.Trace))
	r.Events = scrub.text(s.red.text(r.Events))
	errText := r.ErrorCode + "\n" + r.ErrorMessage
	stored := len(r.FlowName) + len(r.RequestedName) + len(r.Name) + len(r.Endpoint) + len(r.Region) +
		len(r.Profile) + len(r.TestCase) + len(r.Status) + len(r.RequestID) +
		2*len(errText) + len(r.Input) + len(r.Output) + len(r.Trace) + len(r.Events) + rowOverhead
	return r, errText, stored
}

func msOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// Pin marks a run as kept (never pruned), or unmarks it.
func (s *Store) Pin(ctx context.Context, id int64, pinned bool) error {
	return s.changeOne(ctx, fmt.Sprintf("pin run %d", id), `UPDATE runs SET pinned = ? WHERE id = ?`, pinned, id)
}

// Delete removes a run with its bodies, pinned or not.
func (s *Store) Delete(ctx context.Context, id int64) error {
	return s.changeOne(ctx, fmt.Sprintf("delete run %d", id), `DELETE FROM runs WHERE id = ?`, id)
}

func (s *Store) changeOne(ctx context.Context, op, query string, args ...any) error {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	res, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return wrapErr(s.path, op, err)
	}
	return s.changedOne(res, op)
}

// Prune applies the caps now, deleting the oldest unpinned runs until both
// hold (or only pinned runs are left), and hands freed pages back to the
// file system. It returns how many runs it deleted.
func (s *Store) Prune(ctx context.Context) (removed int, err error) {
	for {
		n, err := s.pruneStep(ctx)
		removed += n
		if err != nil {
			return removed, err
		}
		if n == 0 {
			break
		}
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	// Freed pages stay in the file until vacuumed; incremental vacuum moves
	// only the pages it must, without rewriting the whole file.
	if _, err := s.db.ExecContext(ctx, `PRAGMA incremental_vacuum`); err != nil {
		return removed, wrapErr(s.path, "prune: vacuum", err)
	}
	return removed, nil
}

func (s *Store) pruneStep(ctx context.Context) (int, error) {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, wrapErr(s.path, "prune", err)
	}
	defer tx.Rollback()
	n, err := s.pruneTx(ctx, tx, math.MaxInt64, pruneBatch, 0)
	if err != nil || n == 0 {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs_fts(runs_fts, rank) VALUES ('merge', -500)`); err != nil {
		return 0, wrapErr(s.path, "prune: merging the full-text index", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, wrapErr(s.path, "prune", err)
	}
	return n, nil
}

// pruneTx deletes up to limit of the oldest unpinned runs with IDs below
// below, while the history is over a cap. The byte figure is the pages in
// use. Deleting a run frees pages only gradually (half-empty pages, deletion
// markers in the full-text index until merges drop them), so re-measuring
// after each deletion would overshoot: the runs to delete are chosen by their
// stored size instead, aiming a little under the cap, and at most maxText
// bytes of them when maxText > 0.
func (s *Store) pruneTx(ctx context.Context, tx *sql.Tx, below int64, limit int, maxText int64) (int, error) {
	var runs, text, pages, free, pageSize int64
	caps, err := s.stmt(ctx, tx, capsSQL)
	if err == nil {
		err = caps.QueryRowContext(ctx).Scan(&runs, &text, &pages, &free, &pageSize)
	}
	if err != nil {
		return 0, wrapErr(s.path, "checking the caps", err)
	}
	overRuns := runs - int64(s.opts.MaxRuns)
	used := (pages - free) * pageSize
	var needText int64 // stored text to drop for the byte cap
	if used > s.opts.MaxBytes && used > 0 {
		target := s.opts.MaxBytes / 100 * lowWaterPercent
		needText = (used - target) * text / used
		if needText <= 0 {
			needText = 1
		}
		if maxText > 0 && needText > maxText {
			needText = maxText
		}
	}
	if overRuns <= 0 && needText <= 0 {
		return 0, nil
	}
	if needText > 0 && !s.swept {
		// A run larger than the whole cap (written before runs had a budget)
		// goes first: deleting every older run would not make room for it.
		s.swept = true
		res, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE pinned = 0 AND id < ? AND stored_bytes > ?`, below, s.opts.MaxBytes)
		if err != nil {
			return 0, wrapErr(s.path, "pruning runs larger than the cap", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return int(n), nil
		}
	}
	prunable, err := s.stmt(ctx, tx, prunableSQL)
	if err != nil {
		return 0, wrapErr(s.path, "choosing runs to prune", err)
	}
	rows, err := prunable.QueryContext(ctx, below, limit)
	if err != nil {
		return 0, wrapErr(s.path, "choosing runs to prune", err)
	}
	var last, count, dropped int64
	for rows.Next() && (count < overRuns || dropped < needText) {
		var id, size int64
		if err := rows.Scan(&id, &size); err != nil {
			rows.Close()
			return 0, wrapErr(s.path, "choosing runs to prune", err)
		}
		last, count, dropped = id, count+1, dropped+size
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, wrapErr(s.path, "choosing runs to prune", err)
	}
	if count == 0 {
		return 0, nil // only pinned runs are left
	}
	prune, err := s.stmt(ctx, tx, pruneSQL)
	if err == nil {
		_, err = prune.ExecContext(ctx, last)
	}
	if err != nil {
		return 0, wrapErr(s.path, "pruning", err)
	}
	return int(count), nil
}

// changedOne says ErrNotFound when a statement meant for one run changed none.
func (s *Store) changedOne(res sql.Result, op string) error {
	if n, err := res.RowsAffected(); err != nil {
		return wrapErr(s.path, op, err)
	} else if n == 0 {
		return fmt.Errorf("history %s: %s: %w", s.path, op, ErrNotFound)
	}
	return nil
}
