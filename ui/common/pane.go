package common

import (
	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Pane is the contract every pane of the TUI meets (Flows, Runs, Input,
// Result), as the root sees it: it is drawn, sized, focused, asked what keys
// it shows and whether it takes typed text, and told every message.
type Pane interface {
	Init() tea.Cmd
	View() string
	SetSize(w, h int)
	Focus()
	Blur()
	Focused() bool
	// Capturing: the pane takes typed text now (a filter, the editor, a
	// search), so global keys that are text (q, ?) are left to it.
	Capturing() bool
	// Clearable: esc has something to clear in the pane (a filter, a
	// search, the diff) before it stops a run in flight.
	Clearable() bool
	// KeyBindings names the pane's keys for config overrides ("filter"
	// becomes "flows.filter").
	KeyBindings() map[string]*key.Binding
	help.KeyMap // ShortHelp for the footer, FullHelp for the ? dialog
}

// PaneModel is a pane's Model type: Pane on its pointer, and an Update, on
// the value, that returns the updated pane as its own type.
type PaneModel[T any] interface {
	*T
	Pane
	Update(tea.Msg) (T, tea.Cmd)
}

// Own is a message a pane sent itself through a command (a page formatted,
// a check done): the root gives it to the pane it names, and to no other.
type Own interface {
	tea.Msg
	// Pane is the name of the pane the message is for ("result").
	Pane() string
}

// FocusState is the focus state every pane keeps; a pane embeds it and so has
// the contract's Focus, Blur and Focused.
type FocusState struct{ focused bool }

// Focus gives the pane the keys.
func (f *FocusState) Focus() { f.focused = true }

// Blur takes the keys away.
func (f *FocusState) Blur() { f.focused = false }

// Focused says whether keys go to the pane.
func (f FocusState) Focused() bool { return f.focused }
