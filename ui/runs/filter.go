package runs

import (
	"fmt"
	"slices"
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
// "since:<time>" as `flowtui history` reads --status and --since,
// "name:<prefix>" as the start of the execution's name, and any other words
// as its --search (full text over inputs, outputs and errors).
func parseFilter(text string, now time.Time) (f history.Filter, prefix string, err error) {
	var words []string
	for _, w := range strings.Fields(text) {
		name, value, ok := strings.Cut(w, ":")
		switch name = strings.ToLower(name); {
		case ok && name == "status":
			st, err := fnf.ParseStatus(value)
			if err != nil {
				return f, "", fmt.Errorf("status:%s: %w", value, err)
			}
			f.Status = st
		case ok && name == "since":
			t, err := history.ParseSince(value, now)
			if err != nil {
				return f, "", fmt.Errorf("since:%s: %w", value, err)
			}
			f.Since = t
		case ok && name == "name":
			prefix = value
		default:
			words = append(words, w)
		}
	}
	f.Search = strings.Join(words, " ")
	return f, prefix, history.CheckSearch(f.Search)
}

// apiRequest is the applied filter as ListExecutions takes it (Status,
// StartedTimeBegin, ExecutionNamePrefix), or the part of it the service's
// list cannot answer: full-text words, and flowtui's own statuses (Error,
// Cancelled: calls that made no execution), exist only in this machine's
// history, and the rows then are the history's alone.
func (m Model) apiRequest() (fnf.ListExecutionsRequest, string) {
	f := m.query
	req := fnf.ListExecutionsRequest{Status: f.Status, StartedBegin: f.Since, NamePrefix: m.queryName}
	switch {
	case f.Search != "":
		return req, "words"
	case f.Status == fnf.StatusError || f.Status == fnf.StatusCancelled:
		return req, "status:" + string(f.Status)
	}
	return req, ""
}

// startFilter opens the filter line with the filter applied, to edit it.
func (m *Model) startFilter() {
	m.filtering, m.filterText, m.filterErr = true, m.applied, ""
}

// applyFilter queries the runs the typed filter selects; an empty filter
// lists them all again. A filter that does not parse stays open, with why.
func (m *Model) applyFilter() Query {
	f, name, err := parseFilter(m.filterText, m.common.Now())
	if err != nil {
		m.filterErr = err.Error()
		return Query{}
	}
	m.filtering, m.filterErr = false, ""
	m.applied, m.query, m.queryName = strings.TrimSpace(m.filterText), f, name
	return m.requery()
}

// clearFilter drops the filter and lists every run again.
func (m *Model) clearFilter() Query {
	m.filtering, m.filterText, m.filterErr = false, "", ""
	m.applied, m.query, m.queryName = "", history.Filter{}, ""
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
	if m.queryName != "" { // the history has no name index: the rows are cut here
		q.Runs = slices.DeleteFunc(q.Runs, func(v msgs.RunView) bool {
			return !strings.HasPrefix(v.Name, m.queryName) && !strings.HasPrefix(v.RequestedName, m.queryName)
		})
	}
	m.load(msgs.RunsLoaded{Flow: q.Flow, Runs: q.Runs, Err: q.Err})
}
