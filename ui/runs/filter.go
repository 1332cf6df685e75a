package runs

import (
	"fmt"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

// Query asks the root to list the runs of Flow that Filter selects, newest
// first, as `flowtui history` lists them (the root sets the filter's Flow and
// Limit). Queried answers it.
type Query struct {
	Gen    int
	Flow   string
	Filter history.Filter
}

// Queried is the answer to Query Gen.
type Queried struct {
	Gen  int
	Flow string
	Runs []msgs.RunView
	Err  error
}

// parseFilter reads what is typed after /: "status:<status>" and
// "since:<time>" as `flowtui history` reads --status and --since, and any
// other words as its --search (full text over inputs, outputs and errors).
func parseFilter(text string, now time.Time) (history.Filter, error) {
	var f history.Filter
	var words []string
	for _, w := range strings.Fields(text) {
		name, value, ok := strings.Cut(w, ":")
		switch name = strings.ToLower(name); {
		case ok && name == "status":
			st, err := fnf.ParseStatus(value)
			if err != nil {
				return f, fmt.Errorf("status:%s: %w", value, err)
			}
			f.Status = st
		case ok && name == "since":
			t, err := history.ParseSince(value, now)
			if err != nil {
				return f, fmt.Errorf("since:%s: %w", value, err)
			}
			f.Since = t
		default:
			words = append(words, w)
		}
	}
	f.Search = strings.Join(words, " ")
	return f, history.CheckSearch(f.Search)
}

// startFilter opens the filter line with the filter applied, to edit it.
func (m *Model) startFilter() {
	m.filtering, m.filterText, m.filterErr = true, m.applied, ""
}

// applyFilter queries the runs the typed filter selects; an empty filter
// lists them all again. A filter that does not parse stays open, with why.
func (m *Model) applyFilter() Query {
	f, err := parseFilter(m.filterText, m.common.Now())
	if err != nil {
		m.filterErr = err.Error()
		return Query{}
	}
	m.filtering, m.filterErr = false, ""
	m.applied, m.query = strings.TrimSpace(m.filterText), f
	return m.requery()
}

// clearFilter drops the filter and lists every run again.
func (m *Model) clearFilter() Query {
	m.filtering, m.filterText, m.filterErr = false, "", ""
	m.applied, m.query = "", history.Filter{}
	return m.requery()
}

// requery asks again for the runs the applied filter selects.
func (m *Model) requery() Query {
	m.queryGen++
	m.querying = true
	return Query{Gen: m.queryGen, Flow: m.flow, Filter: m.query}
}

// queried shows the runs a query found.
func (m *Model) queried(q Queried) {
	if q.Gen != m.queryGen || q.Flow != m.flow || m.flow == "" {
		return
	}
	m.querying = false
	if m.applied != "" {
		m.fresh = nil // the query holds every run the filter selects
	}
	m.load(msgs.RunsLoaded{Flow: q.Flow, Runs: q.Runs, Err: q.Err})
}
