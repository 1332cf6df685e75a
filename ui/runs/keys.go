package runs

import "charm.land/bubbles/v2/key"

// KeyMap is the Runs pane's own keys.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding

	Open      key.Binding // enter: show the run in Result (never re-runs it)
	LoadInput key.Binding // i: put the run's input into the editor
	Diff      key.Binding // d: compare the run's output with its baseline
	Pin       key.Binding // p: pin or unpin the run as the flow's baseline
}

// DefaultKeyMap is the default key map of the Runs pane.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "newest")),
		End:       key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "oldest")),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open")),
		LoadInput: key.NewBinding(key.WithKeys("i"), key.WithHelp("i", "reuse input")),
		Diff:      key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "diff")),
		Pin:       key.NewBinding(key.WithKeys("p"), key.WithHelp("p", "pin")),
	}
}

// Bindings lists the pane's keys by action name, for overrides from the
// config file (keys.Override) and for help.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "page_up": &k.PageUp, "page_down": &k.PageDown,
		"home": &k.Home, "end": &k.End, "open": &k.Open, "load_input": &k.LoadInput,
		"diff": &k.Diff, "pin": &k.Pin,
	}
}
