// Package uitest helps the tests of the TUI's packages speak keys by name.
package uitest

import (
	"strings"

	tea "charm.land/bubbletea/v2"
)

var named = map[string]rune{
	"down": tea.KeyDown, "up": tea.KeyUp, "left": tea.KeyLeft, "right": tea.KeyRight,
	"enter": tea.KeyEnter, "tab": tea.KeyTab, "esc": tea.KeyEscape, "backspace": tea.KeyBackspace,
	"home": tea.KeyHome, "end": tea.KeyEnd, "pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown,
	"space": tea.KeySpace, "f1": tea.KeyF1, "f5": tea.KeyF5,
}

// Key is the key press Bubble Tea reports for a key name as key.Binding
// writes it: "down", "enter", "shift+tab", "ctrl+r", or a character ("a", "/").
func Key(name string) tea.KeyPressMsg {
	var mod tea.KeyMod
	k := name
	for {
		switch {
		case strings.HasPrefix(k, "ctrl+") && len(k) > len("ctrl+"):
			mod |= tea.ModCtrl
			k = k[len("ctrl+"):]
			continue
		case strings.HasPrefix(k, "shift+") && len(k) > len("shift+"):
			mod |= tea.ModShift
			k = k[len("shift+"):]
			continue
		case strings.HasPrefix(k, "alt+") && len(k) > len("alt+"):
			mod |= tea.ModAlt
			k = k[len("alt+"):]
			continue
		}
		break
	}
	if code, ok := named[k]; ok {
		return tea.KeyPressMsg{Code: code, Mod: mod}
	}
	r := []rune(k)[0]
	if mod != 0 {
		return tea.KeyPressMsg{Code: r, Mod: mod}
	}
	return tea.KeyPressMsg{Code: r, Text: k}
}
