// Package input is the Input pane: a JSON editor for the execution input of
// the selected flow, with its validity and size shown live, a format key, and
// the $EDITOR round trip for anything bigger than a quick edit.
//
// The editor is the pane's own rather than bubbles' textarea: the textarea
// renders every line on every update (measured 6–10 ms per key at 100 lines,
// 120–180 ms at 2,000 on bubbles v2.2.1), while this one draws only the
// visible window, so a 1 MiB input edits within the 2 ms frame budget and
// nothing has to be shown read-only.
package input

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// noteFor is how long a note (where a loaded text came from, "formatted")
// stays in the title.
const noteFor = 4 * time.Second

// Model is the Input pane.
type Model struct {
	common *common.Common
	keys   *KeyMap // shared by copies, so overrides stick

	buf           buffer
	width, height int // outer size, border included
	yoff, xoff    int // first visible line and display column
	common.FocusState
	flow     string
	testCase string

	rev     int   // bumped by every change of the text
	err     error // the last check of the text (nil: valid)
	pending bool  // the text changed since err was found

	lastEdit time.Time // of the pending text
	tickSeq  int       // the pause timer awaited; 0: none
	armedAt  time.Time // when it started
	seqs     int       // timers started

	note      string
	noteUntil time.Time
	noteGen   int
}

// noteExpired clears note noteGen unless a newer one replaced it.
type noteExpired struct{ gen int }

// New returns the pane holding `{}`.
func New(c *common.Common) Model {
	k := DefaultKeyMap()
	m := Model{common: c, keys: &k}
	m.SetValue("{}", "")
	return m
}

// Init starts nothing.
func (m Model) Init() tea.Cmd { return nil }

// SetFlow names the flow whose input this is (the title).
func (m *Model) SetFlow(name string) { m.flow = name }

// SetTestCase names the mock test case the flow runs with, "" for none: the
// title shows it while it is in force.
func (m *Model) SetTestCase(name string) { m.testCase = name }

// SetValue replaces the text; the cursor goes to its start. source, when not
// empty, says where the text came from and is shown briefly in the title.
// The text is kept as given (CRLF line ends become LF) whatever its size or
// validity, and checked at once.
func (m *Model) SetValue(text, source string) {
	m.replace(strings.ReplaceAll(text, "\r\n", "\n"))
	m.check(true)
	if source != "" {
		m.setNote(source)
	}
}

// replace puts new text in and moves to its start.
func (m *Model) replace(text string) {
	m.buf = newBuffer(text)
	m.yoff, m.xoff = 0, 0
	m.rev++
}

// Value is the text.
func (m Model) Value() string { return m.buf.text() }

// Valid is nil when the text can be sent as the input, else an
// *fnf.InputError saying where it is wrong.
func (m Model) Valid() error {
	if m.pending {
		return fnf.CheckInput([]byte(m.buf.text()))
	}
	return m.err
}

// SetSize sets the outer size, border included.
func (m *Model) SetSize(w, h int) {
	m.width, m.height = w, h
	m.scroll()
}

// KeyMap is the pane's key map, shared by every copy of the model: rebind
// through KeyMap().Bindings() and keys.Override.
func (m Model) KeyMap() *KeyMap { return m.keys }

// Capturing is true while focused: typed letters, q and ? are text.
func (m Model) Capturing() bool { return m.Focused() }

// ShortHelp feeds the footer hints when the pane is focused.
func (m Model) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Format, m.common.Keys.Editor}
}

// FullHelp lists the pane's keys for the help dialog, which already shows
// the global ones (ctrl+e among them); arrows, enter, backspace, delete,
// home, end and page keys are left out as obvious, to fit an 80×24 screen.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Format, k.WordLeft, k.WordRight, k.Top, k.Bottom},
		{k.DeleteWordBackward, k.DeleteToLineEnd, k.DeleteToLineStart},
	}
}

// Update handles keys and pastes (when focused), loaded inputs, the editor's
// answer and the pane's own checks.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyPressMsg:
		if m.Focused() {
			return m.key(msg)
		}
	case tea.PasteMsg:
		if m.Focused() {
			cmd := m.paste(msg.Content)
			m.scroll()
			return m, cmd
		}
	case msgs.LoadInput:
		m.SetValue(msg.Text, msg.Source)
		m.scroll()
		return m, m.noteTimer()
	case EditedMsg:
		switch {
		case msg.Err != nil:
			m.setNote("editor failed; text kept")
		case strings.ReplaceAll(msg.Text, "\r\n", "\n") == m.buf.text():
			m.setNote("unchanged in $EDITOR")
		default:
			m.SetValue(msg.Text, "edited in $EDITOR")
		}
		m.scroll()
		return m, m.noteTimer()
	case checkTick:
		return m, m.paused(msg)
	case checked:
		if msg.rev == m.rev {
			m.err, m.pending = msg.err, false
		}
	case formatted:
		if msg.rev == m.rev {
			return m.applyFormat(msg.text, msg.err)
		}
	case noteExpired:
		if msg.gen == m.noteGen {
			m.note = ""
		}
	}
	return m, nil
}

// key applies one key press.
func (m Model) key(k tea.KeyPressMsg) (Model, tea.Cmd) {
	km, b := m.keys, &m.buf
	var cmd tea.Cmd
	edit := func(f func()) {
		f()
		m.edited()
		cmd = m.check(false)
	}
	switch {
	case key.Matches(k, km.Format):
		return m.format()
	case key.Matches(k, km.Newline):
		cmd = m.insert("\n")
	case key.Matches(k, km.Backspace):
		edit(b.backspace)
	case key.Matches(k, km.Delete):
		edit(b.deleteForward)
	case key.Matches(k, km.DeleteWordBackward):
		edit(b.deleteWordBackward)
	case key.Matches(k, km.DeleteToLineEnd):
		edit(b.deleteToLineEnd)
	case key.Matches(k, km.DeleteToLineStart):
		edit(b.deleteToLineStart)
	case key.Matches(k, km.Left):
		b.left()
	case key.Matches(k, km.Right):
		b.right()
	case key.Matches(k, km.Up):
		b.vertical(-1)
	case key.Matches(k, km.Down):
		b.vertical(1)
	case key.Matches(k, km.PageUp):
		b.vertical(-max(1, m.height-3))
	case key.Matches(k, km.PageDown):
		b.vertical(max(1, m.height-3))
	case key.Matches(k, km.WordLeft):
		b.wordLeft()
	case key.Matches(k, km.WordRight):
		b.wordRight()
	case key.Matches(k, km.LineStart):
		b.lineStart()
	case key.Matches(k, km.LineEnd):
		b.lineEnd()
	case key.Matches(k, km.Top):
		b.top()
	case key.Matches(k, km.Bottom):
		b.bottom()
	default:
		// Printable text only: tab is the root's focus key, and a control
		// character never comes from typing.
		if t := k.Text; t != "" && !strings.ContainsFunc(t, isControl) {
			cmd = m.insert(t)
		}
	}
	m.scroll()
	return m, cmd
}

func isControl(r rune) bool { return r < 0x20 || r >= 0x7f && r < 0xa0 }

// insert types or pastes s at the cursor, unless the text would outgrow
// MaxTextBytes.
func (m *Model) insert(s string) tea.Cmd {
	if m.buf.size+len(s) > MaxTextBytes {
		m.setNote("refused: the text would be " + formatSize(m.buf.size+len(s)) +
			", over " + formatSize(MaxTextBytes) + "; ctrl+e edits in $EDITOR")
		return m.noteTimer()
	}
	m.buf.insert(s)
	m.edited()
	return m.check(false)
}

// edited marks a change by typing: a note about the text as it was ("sample
// input", "formatted") no longer describes it.
func (m *Model) edited() {
	m.rev++
	m.note = ""
}

// paste inserts pasted text whole. Terminals send line ends as CR.
func (m *Model) paste(s string) tea.Cmd {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return m.insert(s)
}

// format pretty-prints the text when it is valid JSON: inline when small,
// else in a command whose result is dropped if the text changed meanwhile.
func (m Model) format() (Model, tea.Cmd) {
	if m.buf.size > syncBytes {
		m.setNote("formatting…")
		return m, formatCmd(m.rev, m.buf.text())
	}
	text, err := formatJSON(m.buf.text())
	return m.applyFormat(text, err)
}

func (m Model) applyFormat(text string, err error) (Model, tea.Cmd) {
	switch {
	case err != nil:
		why := "not formatted: the text is not JSON"
		if line, col, ok := errorPos(err); ok {
			why = "not formatted: fix line " + strconv.Itoa(line+1) + ", col " + strconv.Itoa(col+1) + " first"
		}
		m.setNote(why)
	case text == m.buf.text():
		m.setNote("already formatted")
	default:
		m.replace(text)
		m.setNote("formatted")
		m.scroll()
		return m, tea.Batch(m.check(false), m.noteTimer())
	}
	m.scroll()
	return m, m.noteTimer()
}

func (m *Model) setNote(s string) {
	m.note = s
	m.noteUntil = m.common.Now().Add(noteFor)
	m.noteGen++
}

// noteTimer clears the note after a while (and redraws).
func (m *Model) noteTimer() tea.Cmd {
	gen := m.noteGen
	return tea.Tick(noteFor, func(time.Time) tea.Msg { return noteExpired{gen} })
}

// scroll keeps the cursor inside the visible window.
func (m *Model) scroll() {
	iw, ih := m.width-2, m.height-2
	if iw < 1 || ih < 1 {
		return
	}
	b := &m.buf
	switch {
	case b.row < m.yoff:
		m.yoff = b.row
	case b.row >= m.yoff+ih:
		m.yoff = b.row - ih + 1
	}
	m.yoff = max(0, min(m.yoff, len(b.lines)-1))
	cx := b.cursorCol()
	switch {
	case cx < m.xoff:
		m.xoff = max(0, cx-iw/3)
	case cx >= m.xoff+iw:
		m.xoff = cx - iw*2/3
	}
}
