package result

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/itchyny/gojq"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/theme"
)

// Bounds of the output views.
const (
	maxLineCells  = 4096   // longer lines are cut into pieces, so a frame never wraps more
	maxMatches    = 100000 // search hits counted
	maxMatchLines = 20000  // lines whose hits are highlighted
	maxJQOutput   = 16 << 20
	jqTimeout     = 5 * time.Second
)

// outputPage formats a run's output: JSON pretty-printed from its raw text
// (escapes stay escaped), sanitised, highlighted up to HighlightLimit; any
// other text sanitised.
func outputPage(st *theme.Styles, raw string) pageReady {
	if strings.TrimSpace(raw) == "" {
		return pageReady{page: textPager(st.Muted.Render("(no output)"))}
	}
	pretty, err := render.PrettyJSON([]byte(raw))
	if err != nil {
		text := strings.ReplaceAll(sanitize.Text(raw), "\t", "    ")
		return pageReady{page: chunked(strings.Split(text, "\n"), nil), kind: "text · " + size(len(raw))}
	}
	kind := "JSON · " + size(len(raw))
	if len(raw) > HighlightLimit {
		kind += " · not highlighted"
	}
	return pageReady{page: jsonPager(st, [][]byte{pretty}, len(raw) <= HighlightLimit), kind: kind}
}

// jsonPager shows pretty-printed JSON values one after the other.
func jsonPager(st *theme.Styles, values [][]byte, highlight bool) pager {
	safe := make([][]byte, len(values))
	for i, v := range values {
		safe[i] = sanitize.JSON(v)
	}
	text := bytes.Join(safe, []byte("\n"))
	plain := strings.Split(string(text), "\n")
	if !highlight {
		return chunked(plain, nil)
	}
	return chunked(strings.Split(render.HighlightJSON(st, text), "\n"), plain)
}

// chunked cuts lines longer than maxLineCells into pieces (the same pieces
// for the styled and the plain lines) so that the pager only ever wraps short
// lines; plain is nil when lines are plain.
func chunked(lines, plain []string) pager {
	src := plain
	if src == nil {
		src = lines
	}
	long := false
	for _, l := range src {
		if len(l) > maxLineCells {
			long = true
			break
		}
	}
	if !long {
		return pager{lines: lines, plain: plain}
	}
	var outL, outP []string
	for i, l := range src {
		if len(l) <= maxLineCells {
			outL = append(outL, lines[i])
			if plain != nil {
				outP = append(outP, l)
			}
			continue
		}
		pp := render.Wrap(l, maxLineCells)
		if plain == nil {
			outL = append(outL, pp...)
			continue
		}
		if pl := render.Wrap(lines[i], maxLineCells); len(pl) == len(pp) {
			outL = append(outL, pl...)
		} else {
			outL = append(outL, pp...)
		}
		outP = append(outP, pp...)
	}
	return pager{lines: outL, plain: outP}
}

// size is a byte count for people: "23 B", "1.2 KiB", "3.4 MiB".
func size(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// searchDone carries the hits of a search over a page.
type searchDone struct {
	seq     int
	query   string
	matches []match
	over    map[int]string
}

// search starts the search typed over the current tab's page.
func (m *Model) search() tea.Cmd {
	p := m.pager()
	q := m.find.input.Value()
	if q == "" {
		m.find.seq = 0
		p.clearSearch()
		return nil
	}
	m.seq++
	seq := m.seq
	m.find.seq = seq
	lines, plain, st := p.lines, p.plain, m.common.Styles
	return func() tea.Msg { return findMatches(st, seq, q, lines, plain) }
}

// findMatches finds query in the plain lines, ignoring case unless the query
// has capitals, and highlights the hits on the styled lines.
func findMatches(st *theme.Styles, seq int, query string, lines, plain []string) searchDone {
	if plain == nil {
		plain = lines
	}
	fold := strings.ToLower(query) == query
	r := searchDone{seq: seq, query: query, over: map[int]string{}}
	for i, text := range plain {
		hay := text
		if fold {
			if hay = strings.ToLower(text); len(hay) != len(text) {
				hay = text
			}
		}
		var ranges []lipgloss.Range
		for off := 0; off < len(hay) && len(r.matches) < maxMatches; {
			j := strings.Index(hay[off:], query)
			if j < 0 {
				break
			}
			b, e := off+j, off+j+len(query)
			col := cells(text[:b])
			end := col + cells(text[b:e])
			r.matches = append(r.matches, match{line: i, col: col, end: end})
			ranges = append(ranges, lipgloss.NewRange(col, end, st.Match))
			off = e
		}
		if ranges != nil && len(r.over) < maxMatchLines {
			r.over[i] = lipgloss.StyleRanges(lines[i], ranges...)
		}
	}
	return r
}

func cells(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

func (m *Model) searchDone(r searchDone) {
	if r.seq != m.find.seq || m.tab != m.find.tab {
		return
	}
	cw, ch := m.contentSize()
	p := m.pager()
	p.setMatches(m.common.Styles, r.query, r.matches, r.over)
	p.jump(p.cur, cw, ch)
}

// jqState is the jq filter over the output: being typed, running, applied.
type jqState struct {
	input  lineInput
	typing bool
	seq    int    // the filter command awaited; 0 when none
	filter string // the filter applied
	text   string // its result, pretty-printed, for copying
	page   pager
}

// jqDone carries the result of a jq filter.
type jqDone struct {
	seq    int
	filter string
	text   string
	page   pager
}

func (m *Model) runFilter(filter string) tea.Cmd {
	filter = strings.TrimSpace(filter)
	if filter == "" || m.run == nil {
		m.clearFilter()
		return nil
	}
	m.seq++
	seq := m.seq
	m.jq.seq = seq
	st, raw := m.common.Styles, m.run.Output
	return func() tea.Msg {
		text, page := runJQ(st, filter, raw)
		return jqDone{seq: seq, filter: filter, text: text, page: page}
	}
}

func (m *Model) jqDone(r jqDone) {
	if r.seq != m.jq.seq {
		return
	}
	m.jq.seq, m.jq.filter, m.jq.text, m.jq.page = 0, r.filter, r.text, r.page
	m.jq.input.SetValue(r.filter)
	if m.find.tab == tabOutput {
		m.find.seq = 0
	}
}

func (m *Model) clearFilter() {
	m.jq.seq, m.jq.filter, m.jq.text, m.jq.page = 0, "", "", pager{}
	m.jq.input.SetValue("")
}

// runJQ runs a jq filter over the output, each result pretty-printed; an
// error is shown in place of the results.
func runJQ(st *theme.Styles, filter, raw string) (string, pager) {
	fail := func(err error) (string, pager) {
		return "", chunked(strings.Split(st.Failure.Render("jq: ")+sanitize.Text(err.Error()), "\n"), nil)
	}
	q, err := gojq.Parse(filter)
	if err != nil {
		return fail(err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return fail(err)
	}
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fail(fmt.Errorf("the output is not JSON (%v)", err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail(errors.New("the output is not one JSON value"))
	}
	ctx, cancel := context.WithTimeout(context.Background(), jqTimeout)
	defer cancel()
	var values [][]byte
	total := 0
	iter := code.RunWithContext(ctx, v)
	for {
		x, ok := iter.Next()
		if !ok {
			break
		}
		if err, ok := x.(error); ok {
			return fail(err)
		}
		b, err := gojq.Marshal(x)
		if err != nil {
			return fail(err)
		}
		if b, err = render.PrettyJSON(b); err != nil {
			return fail(err)
		}
		if total += len(b); total > maxJQOutput {
			return fail(fmt.Errorf("the results pass %s; narrow the filter", size(maxJQOutput)))
		}
		values = append(values, b)
	}
	if len(values) == 0 {
		return "", textPager(st.Muted.Render("(no results)"))
	}
	return string(bytes.Join(values, []byte("\n"))), jsonPager(st, values, total <= HighlightLimit)
}

// copy puts the raw text of the tab on the clipboard (OSC 52) and says so.
func (m *Model) copy() tea.Cmd {
	text, what := m.copyText()
	if text == "" {
		return status("nothing to copy", false)
	}
	return tea.Batch(tea.SetClipboard(text), status(fmt.Sprintf("copied %s (%s)", size(len(text)), what), false))
}

func status(text string, isErr bool) tea.Cmd {
	return func() tea.Msg { return msgs.Status{Text: text, Err: isErr} }
}

// copyText is what y copies in each tab: the raw output (or the jq result),
// the raw definition, a step's output, the text of the other tabs.
func (m *Model) copyText() (string, string) {
	switch m.tab {
	case tabOutput:
		if m.jq.filter != "" {
			return m.jq.text, "jq result"
		}
		if m.run != nil {
			return m.run.Output, "output"
		}
	case tabError, tabTiming:
		if m.run != nil {
			p := m.pages[m.tab]
			return ansi.Strip(strings.Join(p.lines, "\n")), strings.ToLower(m.tab.String())
		}
	case tabTrace:
		return m.traceCopy()
	case tabDefinition:
		return m.def.raw, "definition"
	case tabDiff:
		return m.diff.text(), "diff"
	}
	return "", ""
}
