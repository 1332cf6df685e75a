package result

import (
	"strings"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

// benchTimingPage is the Timing tab of a bench summary row: the bench's
// statistics as `flowtui bench` prints them (the summary kept as the row's
// output), instead of the times of one run, which a bench row has not.
func benchTimingPage(st *theme.Styles, v msgs.RunView) pager {
	s, err := bench.ParseSummary(v.Output)
	if err != nil {
		return textPager(st.Muted.Render("the bench summary cannot be read: " + sanitize.Line(err.Error())))
	}
	var b strings.Builder
	s.WriteText(&b) // plain text, sanitised within
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	p := textPager(lines...)
	p.cut = make([]bool, len(lines))
	for i, l := range lines {
		p.lines[i] = st.Text.Render(l)
		// A histogram bar is cut at the pane's width rather than wrapped
		// onto lines of its own, which would break the chart apart.
		p.cut[i] = strings.HasPrefix(l, "<= ")
	}
	return p
}
