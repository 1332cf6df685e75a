package flows

import (
	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/keys"
)

// KeyMap is the Flows pane's own keys. The filter keys (AcceptFilter,
// DeleteChar, ClearText) act only while the filter is being typed; all the
// others only while it is not.
type KeyMap struct {
	keys.List // up, down, page up/down, home, end

	Choose      key.Binding // enter: choose the flow, focus moves to Input
	Filter      key.Binding // /: start typing a filter
	ClearFilter key.Binding // esc: drop the filter (also while typing it)
	Reload      key.Binding // r: list the flows again (retry after an error)

	AcceptFilter key.Binding // enter while typing: keep the filter, back to the list
	DeleteChar   key.Binding // backspace while typing
	ClearText    key.Binding // ctrl+u while typing
}

// DefaultKeyMap is the default key map of the Flows pane.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		List:         keys.DefaultList("first", "last"),
		Choose:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Filter:       key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Reload:       key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload")),
		AcceptFilter: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply filter")),
		DeleteChar:   key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "delete")),
		ClearText:    key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
	}
}

// Bindings lists the pane's keys by action name, for overrides from the
// config file (keys.Override) and for help.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	return k.List.AddTo(map[string]*key.Binding{
		"choose": &k.Choose, "filter": &k.Filter,
		"clear_filter": &k.ClearFilter, "reload": &k.Reload, "accept_filter": &k.AcceptFilter,
		"delete_char": &k.DeleteChar, "clear_text": &k.ClearText,
	})
}
