package app

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/flows"
	"github.com/flowtui/flowtui/ui/input"
	"github.com/flowtui/flowtui/ui/result"
	"github.com/flowtui/flowtui/ui/runs"
)

// pane is a pane's place in the focus order: an index into panes().
type pane int

const (
	paneFlows pane = iota
	paneRuns
	paneInput
	paneResult
	paneCount
)

// slot is a pane as the root loops over it: the panes' contract, and an
// Update that keeps the updated pane in the root.
type slot interface {
	common.Pane
	Update(tea.Msg) tea.Cmd
}

// entry is one pane of the root: what it is called and the pane.
type entry struct {
	title string // "Flows": in "Go to Flows", "esc clears Flows first"
	name  string // "flows": key overrides and the pane's own messages say it
	slot
}

// panes is the root's panes in focus order: the one list of them. Each is a
// view onto the root's field, so that the loops and the calls only one pane
// has (m.flows.Selected()) see the same pane.
func (m *Model) panes() [paneCount]entry {
	return [paneCount]entry{
		paneFlows:  {"Flows", flows.Name, inPlace(&m.flows)},
		paneRuns:   {"Runs", runs.Name, inPlace(&m.runs)},
		paneInput:  {"Input", input.Name, inPlace(&m.input)},
		paneResult: {"Result", result.Name, replaced(&m.result)},
	}
}

// paneNamed is the pane called name.
func (m *Model) paneNamed(name string) (pane, bool) {
	for i, e := range m.panes() {
		if e.name == name {
			return pane(i), true
		}
	}
	return 0, false
}

// held is a pane the root holds by value: updated in place.
type held[T any, P common.PaneModel[T]] struct{ p *T }

func inPlace[T any, P common.PaneModel[T]](p *T) slot { return held[T, P]{p} }

func (h held[T, P]) Update(msg tea.Msg) tea.Cmd {
	v, c := P(h.p).Update(msg)
	*h.p = v
	return c
}
func (h held[T, P]) Init() tea.Cmd                        { return P(h.p).Init() }
func (h held[T, P]) View() string                         { return P(h.p).View() }
func (h held[T, P]) SetSize(w, ht int)                    { P(h.p).SetSize(w, ht) }
func (h held[T, P]) Focus()                               { P(h.p).Focus() }
func (h held[T, P]) Blur()                                { P(h.p).Blur() }
func (h held[T, P]) Focused() bool                        { return P(h.p).Focused() }
func (h held[T, P]) Capturing() bool                      { return P(h.p).Capturing() }
func (h held[T, P]) Clearable() bool                      { return P(h.p).Clearable() }
func (h held[T, P]) KeyBindings() map[string]*key.Binding { return P(h.p).KeyBindings() }
func (h held[T, P]) ShortHelp() []key.Binding             { return P(h.p).ShortHelp() }
func (h held[T, P]) FullHelp() [][]key.Binding            { return P(h.p).FullHelp() }

// boxed is a pane the root holds by pointer, to stay small as it is copied
// on every message (see Model.result): replaced, never changed in place, so
// that an earlier copy of the root keeps its own.
type boxed[T any, P common.PaneModel[T]] struct{ pp **T }

func replaced[T any, P common.PaneModel[T]](pp **T) slot { return boxed[T, P]{pp} }

func (b boxed[T, P]) Update(msg tea.Msg) tea.Cmd {
	v, c := P(*b.pp).Update(msg)
	*b.pp = &v
	return c
}
func (b boxed[T, P]) SetSize(w, h int) { change(b.pp, func(v *T) { P(v).SetSize(w, h) }) }
func (b boxed[T, P]) Focus()           { change(b.pp, func(v *T) { P(v).Focus() }) }
func (b boxed[T, P]) Blur() {
	if P(*b.pp).Focused() { // a copy only when something changes
		change(b.pp, func(v *T) { P(v).Blur() })
	}
}
func (b boxed[T, P]) Init() tea.Cmd                        { return P(*b.pp).Init() }
func (b boxed[T, P]) View() string                         { return P(*b.pp).View() }
func (b boxed[T, P]) Focused() bool                        { return P(*b.pp).Focused() }
func (b boxed[T, P]) Capturing() bool                      { return P(*b.pp).Capturing() }
func (b boxed[T, P]) Clearable() bool                      { return P(*b.pp).Clearable() }
func (b boxed[T, P]) KeyBindings() map[string]*key.Binding { return P(*b.pp).KeyBindings() }
func (b boxed[T, P]) ShortHelp() []key.Binding             { return P(*b.pp).ShortHelp() }
func (b boxed[T, P]) FullHelp() [][]key.Binding            { return P(*b.pp).FullHelp() }
