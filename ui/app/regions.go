package app

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/palette"
)

// The backend picker's regions: the built-in list (fnf.Regions) at once, then
// the service's own (DescribeRegions) when the backend in use is the cloud and
// answers in time. Choosing one switches as any choice does (Options.Switch).

// regionChoice starts a region's choice ID, "region:cn-hangzhou": the form
// the switch (session/backend Switch) reads.
const regionChoice = "region:"

// regionsTimeout bounds DescribeRegions: past it the built-in list stays.
const regionsTimeout = 10 * time.Second

// backendTitle is the picker's title; it says which list of regions it shows.
const backendTitle = "Profile, region or backend"

// regionsListed is DescribeRegions' answer for the picker opened as seq.
type regionsListed struct {
	seq     int
	regions []fnf.Region
	err     error
}

// openBackends opens the picker with the built-in regions, and asks the
// service for its own when the backend is the cloud.
func (m *Model) openBackends() tea.Cmd {
	m.regionSeq++
	std, ok := fnf.StandardOf(m.backend)
	cloud := ok && m.backend.Info().Kind == fnf.KindCloud
	source := "built-in regions: local engine"
	if cloud {
		source = "regions: asking the service…"
	} else if !ok {
		source = "built-in regions"
	}
	m.pick.Open(kindBackend, backendTitle+" · "+source, m.backendItems(fnf.Regions()))
	if !cloud {
		return nil
	}
	seq := m.regionSeq
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), regionsTimeout)
		defer cancel()
		rs, err := std.DescribeRegions(ctx, "en-US")
		return regionsListed{seq: seq, regions: rs, err: err}
	}
}

// regionsAnswered puts the service's regions in the picker, if it is still
// the one they were asked for; a failed call leaves the built-in list and
// says why.
func (m Model) regionsAnswered(r regionsListed) (tea.Model, tea.Cmd) {
	if r.seq != m.regionSeq || !m.pick.IsOpen() || m.pick.Kind() != kindBackend {
		return m, nil
	}
	if r.err == nil && len(usable(r.regions)) == 0 {
		r.err = errNoRegions
	}
	if r.err != nil {
		m.pick.Retitle(backendTitle + " · built-in regions: call failed")
		m.status.SetMessage("DescribeRegions: "+r.err.Error()+"; the picker shows the built-in regions", true)
		return m, nil
	}
	m.pick.Replace(backendTitle+" · regions from DescribeRegions", m.backendItems(usable(r.regions)))
	return m, nil
}

// errNoRegions is an answer without a region in it.
var errNoRegions = errors.New("the service listed no region")

// usable are the regions with an ID.
func usable(rs []fnf.Region) []fnf.Region {
	var out []fnf.Region
	for _, r := range rs {
		if strings.TrimSpace(r.RegionId) != "" {
			out = append(out, r)
		}
	}
	return out
}

// backendItems are the picker's entries: the choices given (the local
// engine, the profiles), then one per region, the one in use marked.
func (m *Model) backendItems(regions []fnf.Region) []palette.Item {
	items := make([]palette.Item, 0, len(m.opts.Choices)+len(regions))
	for _, c := range m.opts.Choices {
		if !strings.HasPrefix(c.ID, regionChoice) {
			items = append(items, c)
		}
	}
	info := m.backend.Info()
	for _, r := range regions {
		title := "region · " + r.RegionId
		if r.LocalName != "" {
			title += " · " + r.LocalName
		}
		items = append(items, palette.Item{ID: regionChoice + r.RegionId, Title: title,
			Current: info.Kind == fnf.KindCloud && info.Region == r.RegionId})
	}
	return items
}
