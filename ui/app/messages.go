package app

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/render"
)

// msgLog is the message-log dialog: every status message of the session
// with its time and level, in full, newest last (lazygit's command log, k9s's
// flash history). The status bar cuts a long message to its width; here it
// wraps.
type msgLog struct {
	open bool
	off  int // first line shown; -1 follows the newest
	keys keys.List
}

func newMsgLog() msgLog { return msgLog{off: -1, keys: keys.DefaultList("oldest", "newest")} }

// logKey handles a key while the log is open: movement scrolls, the log key,
// esc and q close it.
func (m Model) logKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	g, lk := m.c.Keys, m.log.keys
	lines, room := m.logLines(), m.logRoom()
	last := max(0, len(lines)-room)
	off := m.log.off
	if off < 0 || off > last {
		off = last
	}
	switch {
	case key.Matches(k, g.Messages, g.Stop, g.Quit):
		m.log.open = false
		return m, nil
	case key.Matches(k, lk.Up):
		off--
	case key.Matches(k, lk.Down):
		off++
	case key.Matches(k, lk.PageUp):
		off -= max(1, room-1)
	case key.Matches(k, lk.PageDown):
		off += max(1, room-1)
	case key.Matches(k, lk.Home):
		off = 0
	case key.Matches(k, lk.End):
		off = last
	}
	m.log.off = max(0, min(off, last))
	if m.log.off == last {
		m.log.off = -1 // at the bottom: new messages stay in view
	}
	return m, nil
}

// logWidth is the dialog's outer width; logRoom the lines it shows.
func (m Model) logWidth() int { return min(100, m.width-4) }
func (m Model) logRoom() int  { return max(1, m.height-6) }

// logLines is the log wrapped to the dialog: "15:04:05 error text", the
// lines of a long message indented under its text.
func (m Model) logLines() []string {
	st := m.c.Styles
	inner := m.logWidth() - 2
	const stamp = 15 // "15:04:05 error "
	var out []string
	for _, e := range m.status.Log() {
		level, paint := "info ", st.Muted
		if e.Err {
			level, paint = "error", st.Failure
		}
		head := st.Subtle.Render(e.At.Local().Format("15:04:05")) + " " + paint.Render(level) + " "
		first := true
		for _, para := range strings.Split(e.Text, "\n") {
			for _, l := range render.Wrap(para, max(10, inner-stamp)) {
				if first {
					out = append(out, head+st.Text.Render(l))
					first = false
				} else {
					out = append(out, strings.Repeat(" ", stamp)+st.Text.Render(l))
				}
			}
		}
	}
	return out
}

// logView draws the dialog.
func (m Model) logView() string {
	lines, room := m.logLines(), m.logRoom()
	if len(lines) == 0 {
		lines = []string{m.c.Styles.Muted.Render("no messages yet")}
	}
	last := max(0, len(lines)-room)
	off := m.log.off
	if off < 0 || off > last {
		off = last
	}
	shown := lines[off:min(len(lines), off+room)]
	foot := m.c.Keys.Messages.Help().Key + " or esc closes"
	if len(lines) > room {
		foot = strconv.Itoa(off+1) + "–" + strconv.Itoa(off+len(shown)) + " of " + strconv.Itoa(len(lines)) + " · ↑↓ pgup pgdn · " + foot
	}
	return common.Frame(m.c.Styles, "Messages", foot, strings.Join(shown, "\n"), m.logWidth(), len(shown)+2, true)
}
