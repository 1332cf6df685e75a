package flows

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
)

// The pane sizes the root uses: 24×13 at 80×24 and 36×23 at 120×40.
var paneSizes = [][2]int{{24, 13}, {36, 23}}

func TestViewGolden(t *testing.T) {
	cases := []struct {
		name string
		prep func(Model) Model
	}{
		{"list", func(m Model) Model { m, _ = loaded(t, m, sampleFlows()); return m }},
		{"invalid-selected", func(m Model) Model {
			m, _ = loaded(t, m, sampleFlows())
			m, _ = send(m, press(tea.KeyDown), press(tea.KeyDown), press(tea.KeyDown))
			return m
		}},
		{"filtering", func(m Model) Model {
			m, _ = loaded(t, m, sampleFlows())
			m, _ = send(m, typed("/"))
			m, _ = typeText(m, "ord")
			return m
		}},
		{"loading", func(m Model) Model { m, _ = m.Update(Loading{}); return m }},
		{"error", func(m Model) Model {
			m, _ = m.Update(Loading{})
			m, _ = m.Update(errLoad())
			return m
		}},
	}
	for _, size := range paneSizes {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], c.name), func(t *testing.T) {
				m := c.prep(newTestModel(t, size[0], size[1]))
				golden.RequireEqual(t, ansi.Strip(m.View()))
			})
		}
	}
}

// TestViewGoldenANSI keeps the colours and styles of one frame (truecolor,
// dark palette).
func TestViewGoldenANSI(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, _ = send(m, typed("/"))
	m, _ = typeText(m, "or")
	m, _ = send(m, press(tea.KeyEnter), press(tea.KeyDown))
	golden.RequireEqual(t, m.View())
}

func BenchmarkFlowsKeyDown10k(b *testing.B) {
	flows := make([]fnf.Flow, 10_000)
	for i := range flows {
		flows[i] = fnf.Flow{
			Name:          fmt.Sprintf("flow-%05d-orders", i),
			Description:   "Takes an order, charges the card and books the shipment",
			ExecutionMode: fnf.ModeExpress,
		}
	}
	m, _ := loaded(b, newTestModel(b, 60, 35), flows)
	down := press(tea.KeyDown)
	b.ReportAllocs()
	for b.Loop() {
		if m.cursor == len(flows)-1 {
			m, _ = m.Update(press(tea.KeyHome))
		}
		m, _ = m.Update(down)
		_ = m.View()
	}
}
