package input

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/msgs"
)

func footerOf(m Model) string {
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	return lines[len(lines)-1]
}

func titleOf(m Model) string {
	return strings.Split(ansi.Strip(m.View()), "\n")[0]
}

func TestNewHoldsAnEmptyObject(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	if got := m.Value(); got != "{}" {
		t.Fatalf("Value() = %q, want {}", got)
	}
	if err := m.Valid(); err != nil {
		t.Fatalf("Valid() = %v", err)
	}
	if f := footerOf(m); !strings.Contains(f, "valid · 2 B / 1 MiB") {
		t.Fatalf("footer %q", f)
	}
}

func TestTypingKeepsValidityWithLineAndColumn(t *testing.T) {
	m, clk := newTestModel(t, 84, 15)
	m.SetValue("", "")
	m = typeText(m, "{\"a\": 1,\n  \"b\" x")
	var ie *fnf.InputError
	if err := m.Valid(); !errors.As(err, &ie) || ie.Line != 2 || ie.Column != 7 {
		t.Fatalf("Valid() = %v, want an InputError at line 2, column 7", err)
	}
	m = pause(m, clk)
	if f := footerOf(m); !strings.Contains(f, "✗ line 2, col 7: invalid character 'x'") {
		t.Fatalf("footer %q does not say where the error is", f)
	}
	m = press(m, keyBackspace)
	m = typeText(m, ": 2}")
	if err := m.Valid(); err != nil {
		t.Fatalf("after fixing, Valid() = %v", err)
	}
	if got, want := m.Value(), "{\"a\": 1,\n  \"b\" : 2}"; got != want {
		t.Fatalf("Value() = %q, want %q", got, want)
	}
	m = pause(m, clk)
	if f := footerOf(m); !strings.Contains(f, "valid · 19 B") {
		t.Fatalf("footer %q", f)
	}
}

// pause lets checkDelay pass and delivers the pause timer's tick, and the
// check it starts.
func pause(m Model, clk *clock) Model {
	clk.now = clk.now.Add(checkDelay)
	m, cmd := m.Update(checkTick{seq: m.tickSeq})
	if cmd != nil {
		m, _ = m.Update(cmd())
	}
	return m
}

func TestTypingChecksOnlyAfterAPause(t *testing.T) {
	m, clk := newTestModel(t, 84, 15)
	m.SetValue(`{"a": 1}`, "")
	m = press(m, keyEnd)
	m, cmd := m.Update(char('x'))
	if !m.pending || cmd == nil {
		t.Fatal("a key press checked the whole text; the check must wait for a pause in typing")
	}
	if f := footerOf(m); !strings.Contains(f, "valid") || strings.Contains(f, "✗") {
		t.Fatalf("while typing the footer keeps the last verdict: %q", f)
	}
	// A run while the verdict is stale checks the text on screen itself.
	var ie *fnf.InputError
	if err := m.Valid(); !errors.As(err, &ie) || ie.Offset != 8 {
		t.Fatalf("Valid() = %v, want an InputError at offset 8", err)
	}
	// One timer for a burst of keys: the next keys start none.
	first := m.tickSeq
	clk.now = clk.now.Add(100 * time.Millisecond)
	m, cmd = m.Update(char('y'))
	if cmd != nil || m.tickSeq != first {
		t.Fatal("a second key started a second timer")
	}
	m = press(m, keyBackspace, keyBackspace)
	// The timer fires 150 ms after the first key, 50 ms after the last:
	// it waits again rather than check a text still being typed.
	clk.now = clk.now.Add(50 * time.Millisecond)
	if m, cmd = m.Update(checkTick{seq: first}); cmd == nil || !m.pending || m.tickSeq == first {
		t.Fatal("the timer checked before typing paused")
	}
	if _, cmd := m.Update(checkTick{seq: first}); cmd != nil {
		t.Fatal("a stale tick was not dropped")
	}
	m = pause(m, clk)
	if m.pending || m.err != nil || !strings.Contains(footerOf(m), "valid") {
		t.Fatalf("after the pause: pending %v, err %v", m.pending, m.err)
	}
}

func TestALostPauseTimerIsReplaced(t *testing.T) {
	m, clk := newTestModel(t, 84, 15)
	m, _ = m.Update(char('x'))
	first := m.tickSeq
	clk.now = clk.now.Add(lostTick)
	m, cmd := m.Update(char('y'))
	if cmd == nil || m.tickSeq == first {
		t.Fatal("typing after a timer that never fired started no new one")
	}
}

func TestValidRequiresAnObject(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.SetValue("[1, 2]", "")
	if err := m.Valid(); err == nil || !strings.Contains(err.Error(), "must be a JSON object") {
		t.Fatalf("Valid() = %v", err)
	}
}

func TestSetValueReplacesTextAndStartsAtTheTop(t *testing.T) {
	m, clk := newTestModel(t, 56, 9)
	m = typeText(m, "xyz")
	m.SetValue("{\r\n  \"from\": \"sample\"\r\n}", "sample input")
	if got, want := m.Value(), "{\n  \"from\": \"sample\"\n}"; got != want {
		t.Fatalf("Value() = %q, want %q (CRLF becomes LF)", got, want)
	}
	if m.buf.row != 0 || m.buf.col != 0 {
		t.Fatalf("cursor at %d:%d, want 0:0", m.buf.row, m.buf.col)
	}
	if err := m.Valid(); err != nil {
		t.Fatalf("Valid() = %v", err)
	}
	if tt := titleOf(m); !strings.Contains(tt, "Input · order-flow · sample input") {
		t.Fatalf("title %q does not show the source", tt)
	}
	clk.now = clk.now.Add(noteFor + time.Second)
	if tt := titleOf(m); strings.Contains(tt, "sample") {
		t.Fatalf("title %q still shows the source after %v", tt, noteFor)
	}
}

func TestLoadInputSetsTextAndShowsItsSourceBriefly(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m, cmd := m.Update(msgs.LoadInput{Text: `{"orderId": "A-1"}`, Source: "run 12"})
	if got := m.Value(); got != `{"orderId": "A-1"}` {
		t.Fatalf("Value() = %q", got)
	}
	if tt := titleOf(m); !strings.Contains(tt, "run 12") {
		t.Fatalf("title %q does not show the source", tt)
	}
	if cmd == nil {
		t.Fatal("no timer to clear the source")
	}
	m, _ = m.Update(noteExpired{gen: m.noteGen})
	if tt := titleOf(m); strings.Contains(tt, "run 12") {
		t.Fatalf("title %q still shows the source", tt)
	}
}

func TestFormatKeyPrettyPrintsValidJSON(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	m.SetValue(`{"a":1,"b":[true,null],"c":{"d":"e"}}`, "")
	m = press(m, ctrl('f'))
	want := "{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {\n    \"d\": \"e\"\n  }\n}"
	if got := m.Value(); got != want {
		t.Fatalf("formatted:\n%s\nwant:\n%s", got, want)
	}
	if tt := titleOf(m); !strings.Contains(tt, "formatted") {
		t.Fatalf("title %q", tt)
	}
}

func TestFormatKeyLeavesInvalidJSONAlone(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	m.SetValue("{\"a\":1,\n\"b\" 2}", "")
	m = press(m, ctrl('f'))
	if got := m.Value(); got != "{\"a\":1,\n\"b\" 2}" {
		t.Fatalf("invalid text changed: %q", got)
	}
	if tt := titleOf(m); !strings.Contains(tt, "fix line 2, col 5 first") {
		t.Fatalf("title %q does not say why", tt)
	}
}

func TestFormatOfALargeTextRunsInACommand(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	m.SetValue(jsonBytes(200<<10, false), "")
	m, cmd := m.Update(ctrl('f'))
	if cmd == nil || strings.Contains(m.Value(), "\n") {
		t.Fatal("a 200 KiB text was formatted inside Update")
	}
	msg := cmd()
	if got, _ := m.Update(msg); !strings.Contains(got.Value(), "\n  \"k0000000\": ") {
		t.Fatalf("not formatted: %.60q", got.Value())
	}
	m, _ = m.Update(char(' ')) // a change meanwhile: the result is dropped
	if got, _ := m.Update(msg); strings.Contains(got.Value(), "\n") {
		t.Fatal("a stale format result was applied")
	}
}

func TestLargeTextIsCheckedAfterAPauseAndStaleChecksAreDropped(t *testing.T) {
	m, clk := newTestModel(t, 84, 15)
	m.SetValue(jsonBytes(100<<10, true), "")
	if err := m.Valid(); err != nil {
		t.Fatalf("Valid() = %v", err)
	}
	m, cmd := m.Update(char('x')) // at the start: `x{` is invalid
	if cmd == nil || !m.pending {
		t.Fatal("a 100 KiB text was checked inside Update on a key press")
	}
	if f := footerOf(m); !strings.Contains(f, "checking…") {
		t.Fatalf("footer %q", f)
	}
	if m.Valid() == nil {
		t.Fatal("Valid() must check a pending text itself")
	}
	first := m.rev
	clk.now = clk.now.Add(checkDelay)
	m, cmd = m.Update(checkTick{seq: m.tickSeq})
	if cmd == nil {
		t.Fatal("no check after the pause")
	}
	res := cmd()
	m, _ = m.Update(char('y')) // typed while the check runs
	m, _ = m.Update(res)       // the check of the text before 'y'
	if !m.pending {
		t.Fatal("a stale check was applied")
	}
	m, _ = m.Update(checked{rev: first, err: nil})
	if !m.pending {
		t.Fatal("a stale check was applied")
	}
	m = pause(m, clk)
	if m.pending || m.err == nil || !strings.Contains(footerOf(m), "✗ line 1, col 1") {
		t.Fatalf("after the check: pending %v, err %v, footer %q", m.pending, m.err, footerOf(m))
	}
}

func TestPasteOf5000LinesArrivesWhole(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	m.SetValue("", "")
	text := jsonLines(5000)
	m, _ = m.Update(tea.PasteMsg{Content: text})
	if got := m.Value(); got != text {
		t.Fatalf("Value() has %d lines / %d bytes, want %d / %d",
			strings.Count(got, "\n")+1, len(got), 5000, len(text))
	}
	if err := m.Valid(); err != nil {
		t.Fatalf("Valid() = %v", err)
	}
	if m.buf.row != 4999 || m.yoff != 4999-12 {
		t.Fatalf("cursor line %d, first visible %d: the end of the paste is not in view", m.buf.row, m.yoff)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, `"last": true`) {
		t.Fatalf("view does not show the end of the paste:\n%s", v)
	}
}

func TestPasteTurnsCarriageReturnsIntoNewlines(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.SetValue("", "")
	m, _ = m.Update(tea.PasteMsg{Content: "{\r\"a\": 1\r\n}"})
	if got := m.Value(); got != "{\n\"a\": 1\n}" {
		t.Fatalf("Value() = %q", got)
	}
}

func TestPastePastTheCapIsRefused(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m, _ = m.Update(tea.PasteMsg{Content: strings.Repeat("x", MaxTextBytes)})
	if got := m.Value(); got != "{}" {
		t.Fatalf("Value() has %d bytes, want the text unchanged", len(got))
	}
	if tt := titleOf(m); !strings.Contains(tt, "refused") {
		t.Fatalf("title %q does not say the paste was refused", tt)
	}
}

func TestPasteAndKeysAreIgnoredWhenBlurred(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.Blur()
	if m.Capturing() {
		t.Fatal("Capturing() while blurred")
	}
	m, _ = m.Update(tea.PasteMsg{Content: "zzz"})
	m = typeText(m, "q?")
	if got := m.Value(); got != "{}" {
		t.Fatalf("Value() = %q", got)
	}
}

func TestTabIsNotInserted(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m = press(m, keyTab, tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift})
	if got := m.Value(); got != "{}" {
		t.Fatalf("Value() = %q", got)
	}
}

func TestEditedMsgReplacesTextAndKeepsItEvenWhenInvalid(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m, _ = m.Update(EditedMsg{Text: "{\"a\": \n"})
	if got := m.Value(); got != "{\"a\": \n" {
		t.Fatalf("Value() = %q", got)
	}
	if m.Valid() == nil {
		t.Fatal("invalid edited text reported valid")
	}
	m, _ = m.Update(EditedMsg{Err: errors.New("vi exited with status 1")})
	if got := m.Value(); got != "{\"a\": \n" {
		t.Fatalf("a failed edit changed the text to %q", got)
	}
	if tt := titleOf(m); !strings.Contains(tt, "editor failed") {
		t.Fatalf("title %q", tt)
	}
}

func TestLoadedEscapesAreKeptAndShownEscaped(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	evil := "{\"a\": \"\x1b[2J\x1b]0;pwned\x07\", \"b\": \"\u009b31m\u202egnp.exe\", \"c\": \"\xff\"}"
	m, _ = m.Update(msgs.LoadInput{Text: evil, Source: "run \x1b[31m7"})
	if m.Value() != evil {
		t.Fatal("the loaded text was altered")
	}
	v := m.View()
	for _, raw := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\u009b", "\u202e", "\xff", "\x1b[31m7"} {
		if strings.Contains(v, raw) {
			t.Errorf("view sends %q raw", raw)
		}
	}
	plain := ansi.Strip(v)
	for _, shown := range []string{`^[[2J^[]0;pwned^G`, `\u009b31m\u202egnp.exe`, "\uFFFD", "run ^[[31m7"} {
		if !strings.Contains(plain, shown) {
			t.Errorf("view does not show %q:\n%s", shown, plain)
		}
	}
}

func TestEditingKeys(t *testing.T) {
	tests := []struct {
		name  string
		start string
		keys  []tea.KeyPressMsg
		want  string
	}{
		{"backspace joins lines", "ab\ncd", []tea.KeyPressMsg{keyDown, keyBackspace}, "abcd"},
		{"delete at line end joins", "ab\ncd", []tea.KeyPressMsg{keyEnd, keyDelete}, "abcd"},
		{"enter splits", "abcd", []tea.KeyPressMsg{keyRight, keyRight, keyEnter}, "ab\ncd"},
		{"ctrl+w deletes a word", `{"name": "value"}`, []tea.KeyPressMsg{keyEnd, keyLeft, keyLeft, ctrl('w')}, `{"name": ""}`},
		{"ctrl+k deletes to line end", "abc\ndef", []tea.KeyPressMsg{keyRight, ctrl('k')}, "a\ndef"},
		{"ctrl+k at line end joins", "abc\ndef", []tea.KeyPressMsg{keyEnd, ctrl('k')}, "abcdef"},
		{"ctrl+u deletes to line start", "abc\ndef", []tea.KeyPressMsg{keyDown, keyRight, keyRight, ctrl('u')}, "abc\nf"},
		{"up and down keep the column", "abcdef\nx\nabcdef", []tea.KeyPressMsg{keyEnd, keyDown, keyDown, keyBackspace}, "abcdef\nx\nabcde"},
		{"ctrl+end goes to the end", "ab\ncd", []tea.KeyPressMsg{keyCtrlEnd, char('!')}, "ab\ncd!"},
		{"left across lines", "ab\ncd", []tea.KeyPressMsg{keyDown, keyLeft, char('!')}, "ab!\ncd"},
		{"wide and combined characters move as one", "日e\u0301x", []tea.KeyPressMsg{keyRight, keyRight, keyBackspace}, "日x"},
		{"escaped controls delete as one", "a\x1bb", []tea.KeyPressMsg{keyRight, keyRight, keyBackspace}, "ab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newTestModel(t, 56, 9)
			m.SetValue(tt.start, "")
			m = press(m, tt.keys...)
			if got := m.Value(); got != tt.want {
				t.Fatalf("Value() = %q, want %q", got, tt.want)
			}
			if m.buf.size != len(m.Value()) {
				t.Fatalf("size %d, text has %d bytes", m.buf.size, len(m.Value()))
			}
		})
	}
}

func TestKeysCanBeRemapped(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	m.SetValue(`{"a":1}`, "")
	if err := keys.Override(m.KeyMap().Bindings(), map[string][]string{"format": {"ctrl+o"}}); err != nil {
		t.Fatal(err)
	}
	m = press(m, ctrl('f'))
	if m.Value() != `{"a":1}` {
		t.Fatal("the old format key still formats")
	}
	m = press(m, ctrl('o'))
	if m.Value() != "{\n  \"a\": 1\n}" {
		t.Fatalf("ctrl+o did not format: %q", m.Value())
	}
	if h := m.ShortHelp(); len(h) == 0 || h[0].Help().Key != "ctrl+o" {
		t.Fatalf("ShortHelp() = %v", h)
	}
}

func TestLongLinesScrollSideways(t *testing.T) {
	m, _ := newTestModel(t, 56, 9)
	long := `{"k": "` + strings.Repeat("a", 200) + `END"}`
	m.SetValue(long, "")
	m = press(m, keyEnd)
	if v := ansi.Strip(m.View()); !strings.Contains(v, `END"}`) {
		t.Fatalf("the end of a long line is not in view after end:\n%s", v)
	}
	m = press(m, keyHome)
	if v := ansi.Strip(m.View()); !strings.Contains(v, `{"k": "aaa`) {
		t.Fatalf("the start is not in view after home:\n%s", v)
	}
}

func TestTextOverTheServiceLimitIsKeptAndFlagged(t *testing.T) {
	m, _ := newTestModel(t, 84, 15)
	big := jsonBytes(fnf.MaxInputBytes+1000, true)
	m.SetValue(big, "editor")
	if m.Value() != big {
		t.Fatal("text over 1 MiB was cut")
	}
	if err := m.Valid(); err == nil || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("Valid() = %v", err)
	}
	raw := m.View()
	f := footerOf(m)
	if !strings.Contains(f, "MiB / 1 MiB") || !strings.Contains(f, "✗ larger than") {
		t.Fatalf("footer %q", f)
	}
	if !strings.Contains(raw, m.common.Styles.Warning.Render(formatSize(m.buf.size)+" / 1 MiB")) {
		t.Fatal("the size is not in the warning style")
	}
}

func TestViewIsExactlyTheSetSize(t *testing.T) {
	for _, sz := range [][2]int{{56, 9}, {84, 15}, {20, 4}, {200, 60}} {
		m, _ := newTestModel(t, sz[0], sz[1])
		m.SetValue("{\"日本\": \"\x1b[31m\",\n\t\"x\": \"e\u0301\u202e\"}\n"+jsonLines(80), "")
		m = press(m, keyDown, keyEnd)
		lines := strings.Split(m.View(), "\n")
		if len(lines) != sz[1] {
			t.Fatalf("%v: %d lines", sz, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != sz[0] {
				t.Fatalf("%v: line %d is %d wide: %q", sz, i, w, ansi.Strip(l))
			}
		}
	}
}

// Where a text came from stays in the title only while it is that text: an
// edit makes "sample input" untrue at once.
func TestTypingDropsTheNoteOfWhereTheTextCameFrom(t *testing.T) {
	m, _ := newTestModel(t, 60, 10)
	m.SetValue(`{"a":1}`, "sample input")
	if !strings.Contains(m.View(), "sample input") {
		t.Fatalf("no source note:\n%s", m.View())
	}
	m = typeText(m, " ")
	if strings.Contains(m.View(), "sample input") {
		t.Fatalf("edited text still called the sample input:\n%s", m.View())
	}
}
