package result

import (
	"unicode"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/theme"
)

// lineInput is the one-line text field of a search or a jq filter. (The
// bubbles textinput would pull in a clipboard module this build does not
// carry, and needs no more than this.)
type lineInput struct {
	prompt      string
	placeholder string
	value       []rune
	pos         int
}

// SetValue replaces the text; the cursor goes to its end.
func (in *lineInput) SetValue(s string) {
	in.value = []rune(s)
	in.pos = len(in.value)
}

func (in *lineInput) Value() string { return string(in.value) }

// update applies a key or a paste; it reports whether the text changed.
func (in *lineInput) update(msg tea.Msg, km *KeyMap) bool {
	before := string(in.value)
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(msg.Content)
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, km.DeleteChar):
			if in.pos > 0 {
				in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
				in.pos--
			}
		case key.Matches(msg, km.DeleteForward):
			if in.pos < len(in.value) {
				in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
			}
		case key.Matches(msg, km.DeleteWord):
			i := in.pos
			for i > 0 && in.value[i-1] == ' ' {
				i--
			}
			for i > 0 && in.value[i-1] != ' ' {
				i--
			}
			in.value = append(in.value[:i], in.value[in.pos:]...)
			in.pos = i
		case key.Matches(msg, km.ClearText):
			in.value, in.pos = in.value[:0], 0
		case key.Matches(msg, km.CursorLeft):
			in.pos = max(0, in.pos-1)
		case key.Matches(msg, km.CursorRight):
			in.pos = min(len(in.value), in.pos+1)
		case key.Matches(msg, km.LineStart):
			in.pos = 0
		case key.Matches(msg, km.LineEnd):
			in.pos = len(in.value)
		case msg.Text != "" && msg.Mod&(tea.ModCtrl|tea.ModAlt) == 0:
			in.insert(msg.Text)
		}
	}
	return string(in.value) != before
}

// insert types text at the cursor; line breaks become spaces and other
// control characters are dropped.
func (in *lineInput) insert(s string) {
	var rs []rune
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			rs = append(rs, ' ')
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
		default:
			rs = append(rs, r)
		}
	}
	v := make([]rune, 0, len(in.value)+len(rs))
	v = append(v, in.value[:in.pos]...)
	v = append(v, rs...)
	in.value = append(v, in.value[in.pos:]...)
	in.pos += len(rs)
}

// view is the prompt and the text in w cells, the cursor shown as a reversed
// cell and kept in sight.
func (in *lineInput) view(st *theme.Styles, w int) string {
	prompt := st.Accent.Render(in.prompt)
	w -= ansi.StringWidth(in.prompt) + 1
	if len(in.value) == 0 {
		return prompt + st.Match.Render(" ") + st.Subtle.Render(ansi.Truncate(in.placeholder, max(0, w), "…"))
	}
	// Pasted text may hold bidi or zero-width characters: shown escaped.
	start := 0
	for start < in.pos && ansi.StringWidth(sanitize.Line(string(in.value[start:in.pos]))) > w {
		start++
	}
	before := sanitize.Line(string(in.value[start:in.pos]))
	cur, after := " ", ""
	if in.pos < len(in.value) {
		cur, after = sanitize.Line(string(in.value[in.pos])), sanitize.Line(string(in.value[in.pos+1:]))
	}
	after = ansi.Truncate(after, max(0, w-ansi.StringWidth(before)), "…")
	return prompt + st.Text.Render(before) + st.Match.Render(cur) + st.Text.Render(after)
}
