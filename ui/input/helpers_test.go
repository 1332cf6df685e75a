package input

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
)

// clock is a settable test clock.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newTestModel(tb testing.TB, w, h int) (Model, *clock) {
	tb.Helper()
	clk := &clock{now: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	c := common.New(theme.New(true, false))
	c.Now = clk.Now
	m := New(c)
	m.SetFlow("order-flow")
	m.SetSize(w, h)
	m.Focus()
	return m, clk
}

var (
	keyEnter     = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyTab       = tea.KeyPressMsg{Code: tea.KeyTab}
	keyBackspace = tea.KeyPressMsg{Code: tea.KeyBackspace}
	keyDelete    = tea.KeyPressMsg{Code: tea.KeyDelete}
	keyLeft      = tea.KeyPressMsg{Code: tea.KeyLeft}
	keyRight     = tea.KeyPressMsg{Code: tea.KeyRight}
	keyUp        = tea.KeyPressMsg{Code: tea.KeyUp}
	keyDown      = tea.KeyPressMsg{Code: tea.KeyDown}
	keyHome      = tea.KeyPressMsg{Code: tea.KeyHome}
	keyEnd       = tea.KeyPressMsg{Code: tea.KeyEnd}
	keyCtrlEnd   = tea.KeyPressMsg{Code: tea.KeyEnd, Mod: tea.ModCtrl}
)

type keyMsg = tea.KeyPressMsg

func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

func char(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

// typeText types s key by key; '\n' presses enter.
func typeText(m Model, s string) Model {
	for _, r := range s {
		k := char(r)
		if r == '\n' {
			k = keyEnter
		}
		m, _ = m.Update(k)
	}
	return m
}

func press(m Model, keys ...tea.KeyPressMsg) Model {
	for _, k := range keys {
		m, _ = m.Update(k)
	}
	return m
}

// jsonLines is a valid, pretty-printed JSON object of exactly n lines (n ≥ 3).
func jsonLines(n int) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i := 0; i < n-3; i++ {
		fmt.Fprintf(&b, "  \"key%05d\": \"value number %d\",\n", i, i)
	}
	b.WriteString("  \"last\": true\n}")
	return b.String()
}

// jsonBytes is a valid JSON object of about n bytes; pretty puts one member
// per line, else it is one line.
func jsonBytes(n int, pretty bool) string {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; b.Len() < n-40; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		if pretty {
			b.WriteString("\n  ")
		}
		fmt.Fprintf(&b, "\"k%07d\": \"a value of some length %d\"", i, i)
	}
	if pretty {
		b.WriteString("\n")
	}
	b.WriteString("}")
	return b.String()
}
