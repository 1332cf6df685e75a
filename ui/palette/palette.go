// Package palette is a filterable list of choices in a dialog: the command
// palette (every action with its key) and the backend/profile picker.
package palette

import (
	"fmt"
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
)

// Item is one choice.
type Item struct {
	ID      string // what Chosen carries back
	Title   string
	Key     string // the key that does the same, shown at the right
	Current bool   // the choice in force: marked, and the cursor starts on it
	// Typed: the item takes the text typed in the filter as its choice
	// ("Use “…”"), for a list whose choices are not all known; it is shown
	// whatever the filter, once something is typed.
	Typed bool
}

// Chosen says the user picked an item.
type Chosen struct {
	Kind string // which list: the name given to Open
	ID   string
}

// KeyMap is the palette's keys; typing filters.
type KeyMap struct {
	Up, Down, Choose, Close, Erase key.Binding
}

// DefaultKeyMap returns the palette's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "ctrl+k"), key.WithHelp("↑", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "ctrl+j"), key.WithHelp("↓", "down")),
		Choose: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Close:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		Erase:  key.NewBinding(key.WithKeys("backspace"), key.WithHelp("backspace", "erase")),
	}
}

// Model is the open or closed list.
type Model struct {
	c      *common.Common
	keys   KeyMap
	kind   string
	title  string
	items  []Item
	shown  []int // indexes into items matching the filter
	filter string
	cursor int
	open   bool
	width  int
	height int
}

// New returns a closed palette.
func New(c *common.Common) Model { return Model{c: c, keys: DefaultKeyMap()} }

// Open shows items under a title; kind names the list in Chosen.
func (m *Model) Open(kind, title string, items []Item) {
	m.kind, m.title, m.items, m.filter, m.cursor, m.open = kind, title, items, "", 0, true
	m.refilter()
	for i, it := range items {
		if it.Current {
			m.cursor = i
		}
	}
}

// Replace changes the items of the open list and its title (a list that
// arrived later, such as the service's regions), keeping what was typed and
// the cursor on the item it was on, if that is still listed.
func (m *Model) Replace(title string, items []Item) {
	var at string
	if m.cursor < len(m.shown) {
		at = m.items[m.shown[m.cursor]].ID
	}
	m.title, m.items = title, items
	m.refilter()
	for i, idx := range m.shown {
		if items[idx].ID == at {
			m.cursor = i
		}
	}
}

// Retitle changes the title of the open list.
func (m *Model) Retitle(title string) { m.title = title }

// Kind is the name the list was opened with.
func (m Model) Kind() string { return m.kind }

// Close hides the list.
func (m *Model) Close() { m.open = false }

// IsOpen reports whether the list is shown.
func (m Model) IsOpen() bool { return m.open }

// SetSize is the screen size; the dialog takes part of it.
func (m *Model) SetSize(w, h int) { m.width, m.height = w, h }

// KeyMap exposes the keys for help and overrides.
func (m *Model) KeyMap() *KeyMap { return &m.keys }

// ShortHelp lists the keys of the open list.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Choose, m.keys.Close, m.keys.Up, m.keys.Down}
}

// Update handles keys while open. A choice is returned at once, not through
// a command, so that the root acts on it before it reads the next key.
func (m Model) Update(msg tea.Msg) (Model, *Chosen) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || !m.open {
		return m, nil
	}
	switch {
	case key.Matches(k, m.keys.Close):
		m.open = false
		return m, nil
	case key.Matches(k, m.keys.Choose):
		if len(m.shown) == 0 {
			return m, nil
		}
		it := m.items[m.shown[m.cursor]]
		if it.Typed {
			if strings.TrimSpace(m.filter) == "" {
				return m, nil // nothing typed to use
			}
			m.open = false
			return m, &Chosen{Kind: m.kind, ID: strings.TrimSpace(m.filter)}
		}
		m.open = false
		return m, &Chosen{Kind: m.kind, ID: it.ID}
	case key.Matches(k, m.keys.Up):
		if m.cursor > 0 {
			m.cursor--
		}
	case key.Matches(k, m.keys.Down):
		if m.cursor < len(m.shown)-1 {
			m.cursor++
		}
	case key.Matches(k, m.keys.Erase):
		if r := []rune(m.filter); len(r) > 0 {
			m.filter = string(r[:len(r)-1])
			m.refilter()
		}
	default:
		if k.Text != "" {
			m.filter += k.Text
			m.refilter()
		}
	}
	return m, nil
}

// refilter keeps the items whose title holds the filter's letters in order.
func (m *Model) refilter() {
	m.shown = m.shown[:0]
	f := []rune(strings.ToLower(m.filter))
	for i, it := range m.items {
		if it.Typed && len(f) > 0 || !it.Typed && subsequence(strings.ToLower(it.Title), f) {
			m.shown = append(m.shown, i)
		}
	}
	if m.cursor >= len(m.shown) {
		m.cursor = max(0, len(m.shown)-1)
	}
}

func subsequence(s string, f []rune) bool {
	i := 0
	for _, r := range s {
		if i < len(f) && (r == f[i] || unicode.IsSpace(f[i]) && r == ' ') {
			i++
		}
	}
	return i == len(f)
}

// View draws the dialog; the root centres it over the screen.
func (m Model) View() string {
	if !m.open {
		return ""
	}
	st := m.c.Styles
	w := min(64, m.width-4)
	rows := min(len(m.shown), max(3, m.height-8))
	top := 0
	if m.cursor >= rows {
		top = m.cursor - rows + 1
	}
	var b strings.Builder
	b.WriteString(st.Accent.Render("> ") + sanitize.Line(m.filter) + st.Subtle.Render("▏") + "\n")
	for i := top; i < top+rows && i < len(m.shown); i++ {
		it := m.items[m.shown[i]]
		if it.Typed {
			it.Title = fmt.Sprintf("%s “%s”", it.Title, strings.TrimSpace(m.filter))
		}
		title := "  " + sanitize.Line(it.Title)
		if it.Current {
			title = "● " + sanitize.Line(it.Title) // in force
		}
		right := st.Subtle.Render(it.Key)
		gap := w - 4 - ansi.StringWidth(title) - ansi.StringWidth(it.Key)
		line := title + strings.Repeat(" ", max(1, gap)) + right
		if i == m.cursor {
			line = st.Selected.Render(common.Fit(ansi.Strip(title)+strings.Repeat(" ", max(1, gap))+it.Key, w-4))
		}
		b.WriteString(line + "\n")
	}
	if len(m.shown) == 0 {
		b.WriteString(st.Muted.Render("nothing matches") + "\n")
	}
	return common.Frame(st, m.title, "enter choose · esc close", strings.TrimRight(b.String(), "\n"), w, rows+4, true)
}
