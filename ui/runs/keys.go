package runs

import (
	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/keys"
)

// KeyMap is the Runs pane's own keys.
type KeyMap struct {
	keys.List // up, down, page up/down, home, end

	Open      key.Binding // enter: show the run in Result (never re-runs it)
	LoadInput key.Binding // i: put the run's input into the editor
	Diff      key.Binding // d: compare the run's output with its baseline
	Pin       key.Binding // p: pin or unpin the run as the flow's baseline

	Filter       key.Binding // /: type a filter (status:, since:, words)
	ClearFilter  key.Binding // esc: drop the filter (also while typing it)
	AcceptFilter key.Binding // enter while typing: apply the filter
	DeleteChar   key.Binding // backspace while typing
	ClearText    key.Binding // ctrl+u while typing
}

// DefaultKeyMap is the default key map of the Runs pane.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		List:      keys.DefaultList("newest", "oldest"),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		LoadInput: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "reuse input")),
		Diff:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff")),
		Pin:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pin")),

		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		AcceptFilter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		DeleteChar:   key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "delete")),
		ClearText:    key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
	}
}

// Bindings lists the pane's keys by action name, for overrides from the
// config file (keys.Override) and for help.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	return k.List.AddTo(map[string]*key.Binding{
		"open": &k.Open, "load_input": &k.LoadInput,
		"diff": &k.Diff, "pin": &k.Pin,
		"filter": &k.Filter, "clear_filter": &k.ClearFilter, "accept_filter": &k.AcceptFilter,
		"delete_char": &k.DeleteChar, "clear_text": &k.ClearText,
	})
}
