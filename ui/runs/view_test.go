package runs

import (
	"fmt"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

func TestViewGolden(t *testing.T) {
	cases := []struct {
		name string
		prep func(Model) Model
	}{
		{"runs", func(m Model) Model { return shown(t, m, sampleRuns()) }},
		{"scrolled", func(m Model) Model {
			m = shown(t, m, manyRuns(40))
			m, _ = send(m, press(tea.KeyPgDown), press(tea.KeyDown))
			return m
		}},
		{"empty", func(m Model) Model { return shown(t, m, nil) }},
		{"loading", func(m Model) Model {
			m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
			return m
		}},
		{"no-flow", func(m Model) Model { return m }},
	}
	for _, size := range [][2]int{{24, 10}, {36, 16}} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], c.name), func(t *testing.T) {
				m := c.prep(newTestModel(t, size[0], size[1]))
				golden.RequireEqual(t, ansi.Strip(m.View()))
			})
		}
	}
}

// TestViewGoldenANSI keeps the colours and styles of one frame (truecolor,
// dark palette, focused).
func TestViewGoldenANSI(t *testing.T) {
	m := shown(t, newTestModel(t, 36, 10), sampleRuns())
	m, _ = send(m, press(tea.KeyDown))
	golden.RequireEqual(t, m.View())
}

func BenchmarkRunsKeyDown100k(b *testing.B) {
	m := shown(b, newTestModel(b, 60, 25), manyRuns(100_000))
	down := press(tea.KeyDown)
	b.ReportAllocs()
	for b.Loop() {
		if m.cursor == m.Len()-1 {
			m, _ = m.Update(press(tea.KeyHome))
		}
		m, _ = m.Update(down)
		_ = m.View()
	}
}
