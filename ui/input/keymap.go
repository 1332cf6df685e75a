package input

import "charm.land/bubbles/v2/key"

// KeyMap is the Input pane's keys. ctrl+e ($EDITOR), ctrl+r, ctrl+p, tab and
// esc are the root's (keys.Global) and are not bound here.
type KeyMap struct {
	Format key.Binding

	Up, Down, Left, Right key.Binding
	WordLeft, WordRight   key.Binding
	LineStart, LineEnd    key.Binding
	PageUp, PageDown      key.Binding
	Top, Bottom           key.Binding
	Newline               key.Binding
	Backspace, Delete     key.Binding
	DeleteWordBackward    key.Binding
	DeleteToLineEnd       key.Binding
	DeleteToLineStart     key.Binding
}

// DefaultKeyMap is the pane's default key map.
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Format:             b("ctrl+f", "format JSON", "ctrl+f"),
		Up:                 b("↑", "line up", "up"),
		Down:               b("↓", "line down", "down", "ctrl+n"),
		Left:               b("←", "character left", "left", "ctrl+b"),
		Right:              b("→", "character right", "right"),
		WordLeft:           b("alt+←", "word left", "alt+left", "ctrl+left", "alt+b"),
		WordRight:          b("alt+→", "word right", "alt+right", "ctrl+right", "alt+f"),
		LineStart:          b("home", "line start", "home", "ctrl+a"),
		LineEnd:            b("end", "line end", "end"),
		PageUp:             b("pgup", "page up", "pgup"),
		PageDown:           b("pgdown", "page down", "pgdown"),
		Top:                b("ctrl+home", "start of input", "ctrl+home", "alt+<"),
		Bottom:             b("ctrl+end", "end of input", "ctrl+end", "alt+>"),
		Newline:            b("enter", "new line", "enter"),
		Backspace:          b("backspace", "delete left", "backspace", "ctrl+h"),
		Delete:             b("delete", "delete right", "delete", "ctrl+d"),
		DeleteWordBackward: b("ctrl+w", "delete word left", "ctrl+w", "alt+backspace"),
		DeleteToLineEnd:    b("ctrl+k", "delete to line end", "ctrl+k"),
		DeleteToLineStart:  b("ctrl+u", "delete to line start", "ctrl+u"),
	}
}

// Bindings lists the pane's keys by action name, for overrides
// (keys.Override) and help.
func (k *KeyMap) Bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"format": &k.Format,
		"up":     &k.Up, "down": &k.Down, "left": &k.Left, "right": &k.Right,
		"word_left": &k.WordLeft, "word_right": &k.WordRight,
		"line_start": &k.LineStart, "line_end": &k.LineEnd,
		"page_up": &k.PageUp, "page_down": &k.PageDown,
		"top": &k.Top, "bottom": &k.Bottom,
		"newline": &k.Newline, "backspace": &k.Backspace, "delete": &k.Delete,
		"delete_word_backward": &k.DeleteWordBackward,
		"delete_to_line_end":   &k.DeleteToLineEnd,
		"delete_to_line_start": &k.DeleteToLineStart,
	}
}
