package history

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// t0 is the fixed clock of the tests.
var t0 = time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)

func openTest(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Path == "" {
		opts.Path = filepath.Join(t.TempDir(), "history.db")
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return t0 }
	}
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func sampleRun(flow string, i int) Run {
	start := t0.Add(time.Duration(i) * time.Minute)
	return Run{
		FlowName: flow, RequestedName: fmt.Sprintf("req-%d", i), Name: fmt.Sprintf("req-%d:uuid-%d", i, i),
		Backend: BackendLocal, Endpoint: "/flows", Region: "cn-hangzhou", Profile: "default",
		TestCase: "HappyPath", Status: "Succeeded", RequestID: fmt.Sprintf("rid-%d", i), HTTPStatus: 200,
		StartedTime: start.Add(5 * time.Millisecond), StoppedTime: start.Add(137 * time.Millisecond),
		ClientStart: start, Latency: 150*time.Millisecond + 250*time.Microsecond,
		Input:  fmt.Sprintf(`{"orderId":"A-%d","n":%d}`, i, i),
		Output: fmt.Sprintf(`{"status":"paid","order":"A-%d"}`, i),
		Trace:  `[{"State":"Charge","Type":"Task","Attempt":1,"Start":"2026-11-02T10:00:00Z","Duration":1000}]`,
	}
}

func mustAdd(t testing.TB, s *Store, r Run) int64 {
	t.Helper()
	id, err := s.Add(context.Background(), r)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	return id
}

func ids(runs []Run) []int64 {
	out := make([]int64, len(runs))
	for i, r := range runs {
		out[i] = r.ID
	}
	return out
}

func TestAddListGetRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{Redact: []string{}})
	want := sampleRun("order-flow", 1)
	id := mustAdd(t, s, want)
	if id <= 0 {
		t.Fatalf("Add returned id %d", id)
	}
	want.ID = id
	want.InputBytes, want.OutputBytes = len(want.Input), len(want.Output)

	got, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("Get:\n got %+v\nwant %+v", got, want)
	}
	if got.Duration() != 132*time.Millisecond {
		t.Errorf("Duration = %v", got.Duration())
	}

	list, err := s.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	meta := want
	meta.Input, meta.Output, meta.Trace = "", "", ""
	if len(list) != 1 || list[0] != meta {
		t.Errorf("List:\n got %+v\nwant [%+v]", list, meta)
	}
	if n, err := s.Count(ctx); err != nil || n != 1 {
		t.Errorf("Count = %d, %v", n, err)
	}
	if _, err := s.Get(ctx, id+1); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get(missing) = %v, want ErrNotFound", err)
	}
}

func TestAddDefaultsAndZeroTimes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	id := mustAdd(t, s, Run{FlowName: "f", Status: fnf.StatusError, ErrorMessage: "no answer", Input: "{}"})
	r, err := s.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !r.ClientStart.Equal(t0) || !r.StartedTime.IsZero() || !r.StoppedTime.IsZero() || r.Duration() != 0 {
		t.Errorf("times: client %v started %v stopped %v", r.ClientStart, r.StartedTime, r.StoppedTime)
	}
	if r.InputBytes != 2 || r.OutputBytes != 0 {
		t.Errorf("sizes = %d, %d", r.InputBytes, r.OutputBytes)
	}
	if _, err := s.Add(ctx, Run{Status: "Succeeded"}); err == nil {
		t.Error("Add without a flow name succeeded")
	}
	if _, err := s.Add(ctx, Run{FlowName: "f"}); err == nil {
		t.Error("Add without a status succeeded")
	}
}

func TestListFilters(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	var a, b []int64 // ids of flow a and flow b, oldest first
	for i := range 10 {
		r := sampleRun("a", i)
		if i%2 == 1 {
			r.FlowName = "b"
		}
		if i%3 == 0 {
			r.Status, r.ErrorCode, r.ErrorMessage = "Failed", "Card.Declined", "insufficient funds"
		}
		id := mustAdd(t, s, r)
		if r.FlowName == "a" {
			a = append(a, id)
		} else {
			b = append(b, id)
		}
	}
	if len(a) != 5 || len(b) != 5 {
		t.Fatalf("fixture: %v %v", a, b)
	}
	cases := []struct {
		name string
		f    Filter
		want []int64
	}{
		{"all newest first", Filter{}, []int64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}},
		{"flow", Filter{Flow: "b"}, []int64{10, 8, 6, 4, 2}},
		{"status", Filter{Status: "Failed"}, []int64{10, 7, 4, 1}},
		{"flow and status", Filter{Flow: "a", Status: "Failed"}, []int64{7, 1}},
		{"since", Filter{Since: t0.Add(7 * time.Minute)}, []int64{10, 9, 8}},
		{"limit", Filter{Limit: 3}, []int64{10, 9, 8}},
		{"page", Filter{Limit: 3, BeforeID: 8}, []int64{7, 6, 5}},
		{"search input", Filter{Search: "A-4"}, []int64{5}},
		{"search output word", Filter{Search: "paid", Limit: 2}, []int64{10, 9}},
		{"search error code", Filter{Search: "card.declined"}, []int64{10, 7, 4, 1}},
		{"search error message and flow", Filter{Search: "insufficient", Flow: "b"}, []int64{10, 4}},
		{"search page", Filter{Search: "paid", Limit: 2, BeforeID: 9}, []int64{8, 7}},
		{"search all words", Filter{Search: "funds A-6"}, []int64{7}},
		{"search prefix", Filter{Search: "insuff*"}, []int64{10, 7, 4, 1}},
		{"search no match", Filter{Search: "nothing-like-this"}, []int64{}},
		{"search punctuation only", Filter{Search: `- " *`, Limit: 2}, []int64{10, 9}},
		{"search quotes", Filter{Search: `"paid"`, Limit: 1}, []int64{10}},
		{"since and search", Filter{Since: t0.Add(5 * time.Minute), Search: "failed OR insufficient"}, []int64{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.List(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(ids(got)) != fmt.Sprint(c.want) {
				t.Errorf("List(%+v) = %v, want %v", c.f, ids(got), c.want)
			}
			for _, r := range got {
				if r.Input != "" || r.Output != "" || r.Trace != "" {
					t.Errorf("List filled bodies of run %d", r.ID)
				}
			}
		})
	}
}

func TestPrevious(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	a1 := mustAdd(t, s, sampleRun("a", 1))
	mustAdd(t, s, sampleRun("b", 2))
	a3 := mustAdd(t, s, sampleRun("a", 3))
	p, err := s.Previous(ctx, a3)
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != a1 || p.Input != sampleRun("a", 1).Input {
		t.Errorf("Previous(%d) = run %d with input %q", a3, p.ID, p.Input)
	}
	if _, err := s.Previous(ctx, a1); !errors.Is(err, ErrNotFound) {
		t.Errorf("Previous(first) = %v, want ErrNotFound", err)
	}
	if _, err := s.Previous(ctx, 99); !errors.Is(err, ErrNotFound) {
		t.Errorf("Previous(missing) = %v, want ErrNotFound", err)
	}
}

func TestPinUnpinDelete(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, Options{})
	id := mustAdd(t, s, sampleRun("a", 1))
	other := mustAdd(t, s, sampleRun("a", 2))
	if err := s.Pin(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(ctx, id); !r.Pinned {
		t.Error("run not pinned after Pin(true)")
	}
	if err := s.Pin(ctx, id, false); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.Get(ctx, id); r.Pinned {
		t.Error("run pinned after Pin(false)")
	}
	if err := s.Pin(ctx, 99, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("Pin(missing) = %v", err)
	}
	if err := s.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get after Delete = %v", err)
	}
	if err := s.Delete(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Delete = %v", err)
	}
	// The body and its index entries went with the run.
	if got, _ := s.List(ctx, Filter{Search: "A-1"}); len(got) != 0 {
		t.Errorf("search finds deleted run: %v", ids(got))
	}
	if got, _ := s.List(ctx, Filter{Search: "A-2"}); fmt.Sprint(ids(got)) != fmt.Sprint([]int64{other}) {
		t.Errorf("search A-2 = %v", ids(got))
	}
	if n, _ := s.Count(ctx); n != 1 {
		t.Errorf("Count = %d after delete", n)
	}
	// IDs are never reused, so a view holding an old id cannot show another run.
	if id3 := mustAdd(t, s, sampleRun("a", 3)); id3 <= other {
		t.Errorf("new id %d reuses a deleted one", id3)
	}
	checkIntegrity(t, s)
}

func checkIntegrity(t testing.TB, s *Store) {
	t.Helper()
	var res string
	if err := s.db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Errorf("integrity_check = %q, %v", res, err)
	}
	if _, err := s.db.Exec(`INSERT INTO runs_fts(runs_fts) VALUES ('integrity-check')`); err != nil {
		t.Errorf("full-text index integrity: %v", err)
	}
	var runs, bodies, counted int
	if err := s.db.QueryRow(`SELECT (SELECT count(*) FROM runs), (SELECT count(*) FROM run_bodies),
		(SELECT runs FROM stats)`).Scan(&runs, &bodies, &counted); err != nil {
		t.Fatal(err)
	}
	if runs != bodies || runs != counted {
		t.Errorf("runs %d, bodies %d, counted %d", runs, bodies, counted)
	}
}
