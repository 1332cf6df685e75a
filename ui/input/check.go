package input

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
)

const (
	// syncBytes is the largest text checked and formatted inside Update
	// (json.Unmarshal of 64 KiB is ~0.2 ms). Larger texts are checked in a
	// command.
	syncBytes = 64 << 10
	// checkDelay is the pause in typing after which the text is checked. A
	// key costs only its edit: checking the whole text on every key made an
	// unbracketed paste (one key message per character) quadratic, 8 s for
	// 50 KiB.
	checkDelay = 150 * time.Millisecond
	// MaxTextBytes caps what typing and pasting can grow the text to, so a
	// runaway paste is refused with a message. Text set by SetValue, a loaded
	// run or $EDITOR is never cut: above fnf.MaxInputBytes it is kept and
	// shown invalid.
	MaxTextBytes = 2 << 20
)

// checkTick is the timer of a pause in typing, named by seq: a tick of a
// timer no longer awaited is dropped.
type checkTick struct{ seq int }

// checked carries the check of revision rev.
type checked struct {
	rev int
	err error
}

// formatted carries the pretty-printed text of revision rev, or why it could
// not be formatted.
type formatted struct {
	rev  int
	text string
	err  error
}

// check validates the text: at once when inline (a text set whole), else
// once typing pauses. One timer at a time waits for the pause (a timer per
// key would be a sleeping goroutine per key of a paste); when it fires
// while typing goes on, it waits again for what is left. Valid checks a
// pending text itself, so a run never waits for the pause.
func (m *Model) check(inline bool) tea.Cmd {
	if inline {
		m.err, m.pending = fnf.CheckInput([]byte(m.buf.text())), false
		return nil
	}
	now := m.common.Now()
	m.pending, m.lastEdit = true, now
	if m.tickSeq != 0 && now.Sub(m.armedAt) < lostTick {
		return nil // the timer running sees this edit
	}
	return m.arm(checkDelay)
}

// lostTick is how long after its time a timer is given up for lost (the
// program was busy, or the tick went elsewhere) and a new one started.
const lostTick = 4 * checkDelay

// arm starts the timer of the pause.
func (m *Model) arm(d time.Duration) tea.Cmd {
	m.seqs++
	m.tickSeq, m.armedAt = m.seqs, m.common.Now()
	seq := m.tickSeq
	return tea.Tick(d, func(time.Time) tea.Msg { return checkTick{seq} })
}

// paused checks the text when typing has paused for checkDelay: inside
// Update when it is small, else in a command.
func (m *Model) paused(t checkTick) tea.Cmd {
	if t.seq != m.tickSeq {
		return nil
	}
	m.tickSeq = 0
	if !m.pending {
		return nil
	}
	if wait := m.lastEdit.Add(checkDelay).Sub(m.common.Now()); wait > 0 {
		return m.arm(wait) // typing went on
	}
	if m.buf.size <= syncBytes {
		m.check(true)
		return nil
	}
	return checkCmd(m.rev, m.buf.text())
}

// checkCmd checks a snapshot of the text off the UI loop.
func checkCmd(rev int, text string) tea.Cmd {
	return func() tea.Msg { return checked{rev, fnf.CheckInput([]byte(text))} }
}

// formatCmd pretty-prints a snapshot of the text off the UI loop.
func formatCmd(rev int, text string) tea.Cmd {
	return func() tea.Msg {
		out, err := formatJSON(text)
		return formatted{rev, out, err}
	}
}

// formatJSON indents JSON text by two spaces (json.Indent works on the
// bytes: numbers and string escapes are kept as written). When the text is
// not JSON the error says where, as fnf.CheckInput does.
func formatJSON(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return text, nil
	}
	var out bytes.Buffer
	out.Grow(len(text) + len(text)/2)
	if err := json.Indent(&out, []byte(text), "", "  "); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off := se.Offset
			if off > 0 && se.Error() != "unexpected end of JSON input" {
				off-- // Offset counts the offending byte
			}
			line, col := fnf.LineColumn([]byte(text), off)
			return "", &fnf.InputError{Line: line, Column: col, Offset: off, Msg: err.Error()}
		}
		return "", err
	}
	return out.String(), nil
}

// describe is the one-line form of a validation error for the footer.
func describe(err error) string {
	var ie *fnf.InputError
	if !errors.As(err, &ie) {
		return err.Error()
	}
	msg := strings.TrimPrefix(ie.Msg, "invalid JSON: ")
	if ie.Line == 0 {
		return msg
	}
	return fmt.Sprintf("line %d, col %d: %s", ie.Line, ie.Column, msg)
}

// errorPos is the 0-based line and rune column of a positioned error.
func errorPos(err error) (line, col int, ok bool) {
	var ie *fnf.InputError
	if !errors.As(err, &ie) || ie.Line == 0 {
		return 0, 0, false
	}
	return ie.Line - 1, ie.Column - 1, true
}

// formatSize writes a byte count as people read it: 23 B, 1.2 KiB, 1 MiB.
func formatSize(n int) string {
	// Rounded up, so a text over a limit never reads as the limit.
	trim := func(f float64, unit string) string {
		s := fmt.Sprintf("%.1f", math.Ceil(f*10)/10)
		return strings.TrimSuffix(s, ".0") + " " + unit
	}
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return trim(float64(n)/(1<<10), "KiB")
	}
	return trim(float64(n)/(1<<20), "MiB")
}
