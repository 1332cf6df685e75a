package result

import "charm.land/bubbles/v2/key"

// KeyMap is the Result pane's own keys. Accept and Cancel act only while a
// search or a jq filter is being typed; all the others only while not.
type KeyMap struct {
	Up, Down, PageUp, PageDown, HalfUp, HalfDown, Top, Bottom key.Binding

	NextTab, PrevTab                               key.Binding
	Output, Error, Timing, Trace, Definition, Diff key.Binding // jump to a tab

	Search    key.Binding // /: type a search
	NextMatch key.Binding // n
	PrevMatch key.Binding // N
	Filter    key.Binding // | or f: type a jq filter over the output
	Clear     key.Binding // esc: drop the search, the jq filter, or the diff
	Copy      key.Binding // y: copy the raw text of the tab (OSC 52)
	Expand    key.Binding // enter: open or close a trace row's detail
	Fold      key.Binding // o: fold or unfold the trace row's branches
	FoldAll   key.Binding // O: fold or unfold every trace row

	Accept key.Binding // enter while typing
	Cancel key.Binding // esc while typing

	// Editing keys while typing.
	DeleteChar, DeleteForward, DeleteWord, ClearText key.Binding
	CursorLeft, CursorRight, LineStart, LineEnd      key.Binding
}

// DefaultKeyMap is the default key map of the Result pane.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:         key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:       key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:     key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown:   key.NewBinding(key.WithKeys("pgdown", "ctrl+f", "space"), key.WithHelp("pgdn", "page down")),
		HalfUp:     key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "½ page up")),
		HalfDown:   key.NewBinding(key.WithKeys("ctrl+d"), key.WithHelp("ctrl+d", "½ page down")),
		Top:        key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", "top")),
		Bottom:     key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", "bottom")),
		NextTab:    key.NewBinding(key.WithKeys("]", "right"), key.WithHelp("]/→", "next tab")),
		PrevTab:    key.NewBinding(key.WithKeys("[", "left"), key.WithHelp("[/←", "previous tab")),
		Output:     key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "output")),
		Error:      key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "error")),
		Timing:     key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "timing")),
		Trace:      key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "trace")),
		Definition: key.NewBinding(key.WithKeys("5"), key.WithHelp("5", "definition")),
		Diff:       key.NewBinding(key.WithKeys("6"), key.WithHelp("6", "diff")),
		Search:     key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "search")),
		NextMatch:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next match")),
		PrevMatch:  key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous match")),
		Filter:     key.NewBinding(key.WithKeys("|", "f"), key.WithHelp("|", "jq filter")),
		Clear:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		Copy:       key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "copy")),
		Expand:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open/close row")),
		Fold:       key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "fold")),
		FoldAll:    key.NewBinding(key.WithKeys("O"), key.WithHelp("O", "fold all")),
		Accept:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "apply")),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		DeleteChar:    key.NewBinding(key.WithKeys("backspace", "ctrl+h"), key.WithHelp("backspace", "delete")),
		DeleteForward: key.NewBinding(key.WithKeys("delete", "ctrl+d"), key.WithHelp("delete", "delete forward")),
		DeleteWord:    key.NewBinding(key.WithKeys("ctrl+w", "alt+backspace"), key.WithHelp("ctrl+w", "delete word")),
		ClearText:     key.NewBinding(key.WithKeys("ctrl+u"), key.WithHelp("ctrl+u", "clear")),
		CursorLeft:    key.NewBinding(key.WithKeys("left", "ctrl+b"), key.WithHelp("←", "cursor left")),
		CursorRight:   key.NewBinding(key.WithKeys("right", "ctrl+f"), key.WithHelp("→", "cursor right")),
		LineStart:     key.NewBinding(key.WithKeys("home", "ctrl+a"), key.WithHelp("home", "start of line")),
		LineEnd:       key.NewBinding(key.WithKeys("end", "ctrl+e"), key.WithHelp("end", "end of line")),
	}
}

// Bindings lists the pane's keys by action name, for overrides from the
// config file (keys.Override) and for help.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"up": &k.Up, "down": &k.Down, "page_up": &k.PageUp, "page_down": &k.PageDown,
		"half_page_up": &k.HalfUp, "half_page_down": &k.HalfDown, "top": &k.Top, "bottom": &k.Bottom,
		"next_tab": &k.NextTab, "prev_tab": &k.PrevTab,
		"tab_output": &k.Output, "tab_error": &k.Error, "tab_timing": &k.Timing,
		"tab_trace": &k.Trace, "tab_definition": &k.Definition, "tab_diff": &k.Diff,
		"search": &k.Search, "next_match": &k.NextMatch, "prev_match": &k.PrevMatch,
		"filter": &k.Filter, "clear": &k.Clear, "copy": &k.Copy, "expand": &k.Expand,
		"fold": &k.Fold, "fold_all": &k.FoldAll,
		"accept": &k.Accept, "cancel": &k.Cancel,
		"delete_char": &k.DeleteChar, "delete_forward": &k.DeleteForward, "delete_word": &k.DeleteWord,
		"clear_text": &k.ClearText, "cursor_left": &k.CursorLeft, "cursor_right": &k.CursorRight,
		"line_start": &k.LineStart, "line_end": &k.LineEnd,
	}
}

// ShortHelp is the keys the footer shows for the pane's present state.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.Capturing() {
		return []key.Binding{k.Accept, k.Cancel}
	}
	switch m.tab {
	case tabTrace:
		if m.trace.open {
			return []key.Binding{k.Down, k.Search, k.Expand, k.Clear, k.Copy}
		}
		return []key.Binding{k.Up, k.Down, k.Expand, k.Fold, k.FoldAll, k.Copy, k.NextTab}
	case tabOutput:
		hints := []key.Binding{k.Search, k.Filter, k.Copy}
		if m.pager().query != "" || m.jq.filter != "" {
			hints = append(hints, k.NextMatch, k.Clear)
		}
		return append(hints, k.NextTab)
	}
	if m.Clearable() { // a search, or the diff: esc clears it before anything else
		return []key.Binding{k.Down, k.Clear, k.Search, k.Copy, k.NextTab}
	}
	return []key.Binding{k.Down, k.Search, k.Copy, k.NextTab}
}

// FullHelp is every key of the pane, in groups, for the help overlay.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.HalfUp, k.HalfDown, k.Top, k.Bottom},
		{k.NextTab, k.PrevTab, k.Output, k.Error, k.Timing, k.Trace, k.Definition, k.Diff},
		{k.Search, k.NextMatch, k.PrevMatch, k.Filter, k.Clear, k.Copy, k.Expand, k.Fold, k.FoldAll},
	}
}

// KeyMap returns the pane's key map, for remapping by action name.
func (m Model) KeyMap() *KeyMap { return m.keys }
