package history

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// The benchmark fixture is generated inside SQLite: 100k round trips through
// database/sql would cost more than the benchmarks themselves. The SQL
// spells out what benchRun builds in Go (TestBenchFixture checks they agree).

const fixtureRunsSQL = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
INSERT INTO runs (id, flow_name, name, backend, status, error_code, error_message, request_id,
	started_ms, stopped_ms, client_start_ms, latency_us)
SELECT i,
	CASE WHEN i % 50 = 0 THEN 'rare-flow' WHEN i % 5 = 0 THEN 'order-flow' WHEN i % 5 = 1 THEN 'image-resize'
		WHEN i % 5 = 2 THEN 'etl-nightly' WHEN i % 5 = 3 THEN 'notify' ELSE 'payments' END,
	printf('run-%d:%08x-1f2e-4d3c-8b4a-%012x', i, i * 7919, i * 104729), 'local',
	iif(i % 20 = 0, 'Failed', 'Succeeded'), iif(i % 20 = 0, 'Card.Declined', ''),
	iif(i % 20 = 0, printf('card of customer c-%d declined: insufficient funds', i % 5000), ''),
	printf('%08X-AAAA-BBBB-CCCC-%012X', i, i),
	?2 + i * 1000, ?2 + i * 1000 + 120, ?2 + i * 1000, 130000
FROM n`

const fixtureBodiesSQL = `INSERT INTO run_bodies (run_id, input, output, errors)
SELECT id,
	printf('{"orderId":"A-%d","customer":{"id":"c-%d","name":"Customer %d","tier":"gold"},' ||
		'"items":[{"sku":"SKU-%d","qty":%d,"price":%d.99},{"sku":"SKU-%d","qty":1,"price":5.00}],' ||
		'"currency":"CNY","note":"deliver before noon to dock %d"%s}',
		id, id % 5000, id % 5000, id % 977, id % 7 + 1, id % 300, id % 1009, id % 40,
		iif(id % 1000 = 0, ',"flag":"needle"', '')),
	printf('{"status":"paid","orderId":"A-%d","charged":%d.99,"receipt":"R-%d",' ||
		'"warehouse":"wh-%d","eta":"2026-11-%02dT12:00:00Z","steps":["validate","charge","ship"]%s}',
		id, id % 300, id * 31, id % 12, id % 28 + 1,
		iif(?1 > 0, ',"pad":"' || replace(hex(zeroblob(?1)), '00', 'pad ') || '"', '')),
	error_code || char(10) || error_message
FROM runs ORDER BY id`

// The body trigger is dropped during the bulk load and the index built in
// one pass ('rebuild'), which is about twice as fast as row by row.
const fixtureFinishSQL = `
UPDATE runs SET input_bytes = length(b.input), output_bytes = length(b.output),
	stored_bytes = length(b.input) + length(b.output) + length(b.errors) + 512
	FROM run_bodies b WHERE b.run_id = runs.id;
UPDATE stats SET bytes = (SELECT sum(stored_bytes) FROM runs);
INSERT INTO runs_fts(runs_fts) VALUES ('rebuild');`

// benchStore opens a history holding runs 1..n of benchRun, as n Adds would
// have left it (full-text index, counters), built in one transaction. pad > 0
// adds that many bytes to every output, for measuring that lists do not read
// bodies.
func benchStore(tb testing.TB, n int, opts Options, pad int) *Store {
	tb.Helper()
	ctx := context.Background()
	start, cpu := time.Now(), cpuTime(tb)
	if opts.MaxRuns == 0 {
		opts.MaxRuns = 10 * n
	}
	opts.Path = filepath.Join(tb.TempDir(), "history.db")
	build, err := Open(ctx, opts)
	if err != nil {
		tb.Fatal(err)
	}
	defer build.Close()
	tx, err := build.db.BeginTx(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	var trigger string
	if err := tx.QueryRowContext(ctx, `SELECT sql FROM sqlite_schema WHERE name = 'run_bodies_ai'`).Scan(&trigger); err != nil {
		tb.Fatal(err)
	}
	steps := []struct {
		query string
		args  []any
	}{
		// Room for the whole transaction in memory: no spilling to the WAL.
		{`PRAGMA cache_size = -262144`, nil},
		{`DROP TRIGGER run_bodies_ai`, nil},
		{fixtureRunsSQL, []any{n, t0.UnixMilli()}},
		{fixtureBodiesSQL, []any{pad / 4}}, // ?1 × 4 bytes of words added to each output
		{fixtureFinishSQL, nil},
		{trigger, nil},
	}
	for _, st := range steps {
		if _, err := tx.ExecContext(ctx, st.query, st.args...); err != nil {
			tb.Fatalf("fixture: %v\n%s", err, st.query)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	// Measure a store as a process opening this history would have it: the
	// bulk load's connection keeps a full-text hash table sized for it.
	if err := build.Close(); err != nil {
		tb.Fatal(err)
	}
	s := openTest(tb, opts)
	tb.Logf("fixture: %d runs, %.1f MiB, built in %v (%v CPU)", n, float64(usedBytes(tb, s))/(1<<20),
		time.Since(start).Round(time.Millisecond), (cpuTime(tb) - cpu).Round(time.Millisecond))
	return s
}

// TestBenchFixture: the SQL fixture holds what benchRun describes, and is a
// sound history (index, counters) that Add and Delete keep working on.
func TestBenchFixture(t *testing.T) {
	ctx := context.Background()
	s := benchStore(t, 2000, Options{}, 0)
	for _, i := range []int{1, 20, 50, 999, 1000, 1234, 2000} {
		got, err := s.Get(ctx, int64(i))
		if err != nil {
			t.Fatal(err)
		}
		want := benchRun(i)
		if got.FlowName != want.FlowName || got.Name != want.Name || got.Status != want.Status ||
			got.ErrorCode != want.ErrorCode || got.ErrorMessage != want.ErrorMessage || got.RequestID != want.RequestID ||
			got.Input != want.Input || got.Output != want.Output || got.InputBytes != len(want.Input) {
			t.Errorf("fixture run %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
	if got, _ := s.List(ctx, Filter{Search: "needle"}); fmt.Sprint(ids(got)) != "[2000 1000]" {
		t.Errorf("needle runs = %v", ids(got))
	}
	if err := s.Delete(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	mustAdd(t, s, benchRun(2001))
	checkIntegrity(t, s)

	padded := benchStore(t, 10, Options{}, 1000)
	r, err := padded.Get(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Output) != len(benchRun(3).Output)+1000+len(`,"pad":""`) || r.OutputBytes != len(r.Output) {
		t.Errorf("padded output: %d bytes, recorded %d", len(r.Output), r.OutputBytes)
	}
}
