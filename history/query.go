package history

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// metaColumns are the columns List reads: all of runs, none of run_bodies.
const metaColumns = `runs.id, runs.flow_name, runs.requested_name, runs.name, runs.backend,
	runs.endpoint, runs.region, runs.profile, runs.test_case, runs.status, runs.error_code,
	runs.error_message, runs.request_id, runs.http_status, runs.started_ms, runs.stopped_ms,
	runs.client_start_ms, runs.latency_us, runs.input_bytes, runs.output_bytes, runs.pinned, runs.mode`

// bodyQuery reads runs with their bodies. A run whose body row is missing
// (deleted by hand) still loads, with empty bodies.
const bodyQuery = `SELECT ` + metaColumns + `, coalesce(b.input, ''), coalesce(b.output, ''),
	coalesce(b.trace, ''), coalesce(b.events, '') FROM runs LEFT JOIN run_bodies b ON b.run_id = runs.id`

// List returns the runs f selects, newest first, without bodies.
func (s *Store) List(ctx context.Context, f Filter) ([]Run, error) {
	if f.Limit <= 0 {
		f.Limit = defaultLimit
	}
	query, args := listQuery(f)
	st, err := s.stmt(ctx, nil, query)
	if err != nil {
		return nil, wrapErr(s.path, "list", err)
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, wrapErr(s.path, "list", err)
	}
	defer rows.Close()
	runs := make([]Run, 0, min(f.Limit, 256))
	for rows.Next() {
		var r Run
		if err := rows.Scan(metaDest(&r, nil)...); err != nil {
			return nil, wrapErr(s.path, "list", err)
		}
		runs = append(runs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, wrapErr(s.path, "list", err)
	}
	return runs, nil
}

// listQuery builds List's statement. With a search, the full-text index
// drives the scan (CROSS JOIN keeps it outermost) and yields rowids newest
// first, so a common word still stops after Limit rows (about 1 ms at 100k
// runs). The alternative, runs.id IN (matches), builds the whole match set
// first: 50 ms for a word in every run. Its one bad case is a common word
// with a flow or status filter that almost no match passes, where every match
// is looked up (100 ms at 100k).
func listQuery(f Filter) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("SELECT " + metaColumns + " FROM ")
	conds, cargs := f.conds()
	if match := ftsQuery(f.Search); match != "" {
		b.WriteString("runs_fts CROSS JOIN runs ON runs.id = runs_fts.rowid WHERE runs_fts MATCH ?")
		args = append(args, match)
		if f.BeforeID > 0 {
			// Stated on the index's rowid too, so that FTS5 starts there.
			b.WriteString(" AND runs_fts.rowid < ?")
			args = append(args, f.BeforeID)
		}
		for _, c := range conds {
			b.WriteString(" AND " + c)
		}
		b.WriteString(" ORDER BY runs_fts.rowid DESC LIMIT ?")
	} else {
		b.WriteString("runs")
		if len(conds) > 0 {
			b.WriteString(" WHERE " + strings.Join(conds, " AND "))
		}
		b.WriteString(" ORDER BY runs.id DESC LIMIT ?")
	}
	args = append(args, cargs...)
	args = append(args, f.Limit)
	return b.String(), args
}

// conds are the filter's conditions on runs, search aside.
func (f Filter) conds() ([]string, []any) {
	var conds []string
	var args []any
	if f.Flow != "" {
		conds, args = append(conds, "runs.flow_name = ?"), append(args, f.Flow)
	}
	if f.Status != "" {
		conds, args = append(conds, "runs.status = ?"), append(args, f.Status)
	}
	if !f.Since.IsZero() {
		conds, args = append(conds, "runs.client_start_ms >= ?"), append(args, f.Since.UnixMilli())
	}
	if f.BeforeID > 0 {
		conds, args = append(conds, "runs.id < ?"), append(args, f.BeforeID)
	}
	return conds, args
}

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: every word becomes a quoted phrase (so "A-1" or "a:b" match
// as written), all of them required; a trailing * keeps prefix matching.
// CheckSearch refuses a search that has no word to look up (punctuation
// alone): it would otherwise quietly match every run.
func CheckSearch(search string) error {
	if strings.TrimSpace(search) != "" && ftsQuery(search) == "" {
		return fmt.Errorf("%q has no word to search for: the search looks up words of letters and digits in inputs, outputs and errors", search)
	}
	return nil
}

func ftsQuery(search string) string {
	var terms []string
	for _, w := range strings.Fields(search) {
		prefix := strings.HasSuffix(w, "*")
		w = strings.TrimRight(w, "*")
		if !strings.ContainsFunc(w, isWordRune) {
			continue // punctuation alone has no tokens to look up
		}
		t := `"` + strings.ReplaceAll(w, `"`, `""`) + `"`
		if prefix {
			t += "*"
		}
		terms = append(terms, t)
	}
	return strings.Join(terms, " ")
}

// isWordRune matches what FTS5's unicode61 tokenizer keeps in tokens.
func isWordRune(r rune) bool {
	return r >= 0x80 || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z')
}

// metaDest lists Scan destinations for metaColumns, followed by bodies.
// Times are stored as integers (NULL when unknown) and converted on Scan.
func metaDest(r *Run, bodies []any) []any {
	return append([]any{&r.ID, &r.FlowName, &r.RequestedName, &r.Name, &r.Backend,
		&r.Endpoint, &r.Region, &r.Profile, &r.TestCase, &r.Status, &r.ErrorCode,
		&r.ErrorMessage, &r.RequestID, &r.HTTPStatus, msTime{&r.StartedTime}, msTime{&r.StoppedTime},
		msTime{&r.ClientStart}, usDuration{&r.Latency}, &r.InputBytes, &r.OutputBytes, &r.Pinned, &r.Mode}, bodies...)
}

// bodyDest lists Scan destinations for the bodies bodyQuery reads.
func bodyDest(r *Run) []any { return []any{&r.Input, &r.Output, &r.Trace, &r.Events} }

// msTime scans Unix milliseconds (or NULL, the zero time) into a time.Time.
type msTime struct{ t *time.Time }

func (m msTime) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*m.t = time.Time{}
	case int64:
		*m.t = time.UnixMilli(v).UTC()
	default:
		return fmt.Errorf("time column holds %T, want integer milliseconds", v)
	}
	return nil
}

// usDuration scans microseconds into a time.Duration.
type usDuration struct{ d *time.Duration }

func (u usDuration) Scan(v any) error {
	n, ok := v.(int64)
	if !ok {
		return fmt.Errorf("latency column holds %T, want integer microseconds", v)
	}
	*u.d = time.Duration(n) * time.Microsecond
	return nil
}

// Get returns one run with its bodies, or an error wrapping ErrNotFound.
func (s *Store) Get(ctx context.Context, id int64) (Run, error) {
	return s.getOne(ctx, fmt.Sprintf("get run %d", id), bodyQuery+` WHERE runs.id = ?`, id)
}

// Previous returns, with its bodies, the run of the same flow recorded just
// before run id (to diff against), or an error wrapping ErrNotFound.
func (s *Store) Previous(ctx context.Context, id int64) (Run, error) {
	return s.getOne(ctx, fmt.Sprintf("run before run %d", id), bodyQuery+` WHERE runs.id = (
		SELECT p.id FROM runs p WHERE p.flow_name = (SELECT flow_name FROM runs WHERE id = ?)
		AND p.id < ? ORDER BY p.id DESC LIMIT 1)`, id, id)
}

func (s *Store) getOne(ctx context.Context, op, query string, args ...any) (Run, error) {
	var r Run
	st, err := s.stmt(ctx, nil, query)
	if err == nil {
		err = st.QueryRowContext(ctx, args...).Scan(metaDest(&r, bodyDest(&r))...)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, fmt.Errorf("history %s: %s: %w", s.path, op, ErrNotFound)
	}
	if err != nil {
		return Run{}, wrapErr(s.path, op, err)
	}
	return r, nil
}

// Count returns how many runs the history holds.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT runs FROM stats`).Scan(&n); err != nil {
		return 0, wrapErr(s.path, "count", err)
	}
	return n, nil
}

// Export writes the runs f selects to w as JSON Lines (ExportJSON, one run a
// line), oldest first, with their bodies. f.Limit 0 exports them all.
func (s *Store) Export(ctx context.Context, f Filter, w io.Writer) error {
	conds, args := f.conds()
	if match := ftsQuery(f.Search); match != "" {
		conds = append(conds, "runs.id IN (SELECT rowid FROM runs_fts WHERE runs_fts MATCH ?)")
		args = append(args, match)
	}
	query := bodyQuery
	if len(conds) > 0 {
		query += " WHERE " + strings.Join(conds, " AND ")
	}
	query += " ORDER BY runs.id"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wrapErr(s.path, "export", err)
	}
	defer rows.Close()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for rows.Next() {
		var r Run
		if err := rows.Scan(metaDest(&r, bodyDest(&r))...); err != nil {
			return wrapErr(s.path, "export", err)
		}
		if err := enc.Encode(r.ExportJSON()); err != nil {
			return fmt.Errorf("history %s: export: writing run %d: %w", s.path, r.ID, err)
		}
	}
	if err := rows.Err(); err != nil {
		return wrapErr(s.path, "export", err)
	}
	return nil
}
