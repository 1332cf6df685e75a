// Package theme is flowtui's look: a few named colours that adapt to a light or
// dark terminal, and the one set of styles built from them that every pane
// uses. No pane makes styles of its own in View.
package theme

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/flowtui/flowtui/fnf"
)

// Palette is the set of named colours.
type Palette struct {
	Text, Muted, Subtle, Accent, Border, FocusBorder    color.Color
	Success, Failure, Warning, Selection, SelectionText color.Color
	JSONKey, JSONString, JSONNumber, JSONLiteral        color.Color
}

// NewPalette picks the colours for a dark or light background. With noColor
// (NO_COLOR set) every colour is absent and emphasis comes from bold, faint
// and reverse alone.
func NewPalette(dark, noColor bool) Palette {
	if noColor {
		none := lipgloss.NoColor{}
		return Palette{none, none, none, none, none, none, none, none, none, none, none, none, none, none, none}
	}
	ld := lipgloss.LightDark(dark)
	c := lipgloss.Color
	return Palette{
		Text:          ld(c("#1f2328"), c("#e6edf3")),
		Muted:         ld(c("#59636e"), c("#9198a1")),
		Subtle:        ld(c("#818b98"), c("#656c76")),
		Accent:        ld(c("#6639ba"), c("#bc8cff")),
		Border:        ld(c("#d1d9e0"), c("#3d444d")),
		FocusBorder:   ld(c("#6639ba"), c("#bc8cff")),
		Success:       ld(c("#1a7f37"), c("#3fb950")),
		Failure:       ld(c("#d1242f"), c("#f85149")),
		Warning:       ld(c("#9a6700"), c("#d29922")),
		Selection:     ld(c("#ddf4ff"), c("#1f3a5f")),
		SelectionText: ld(c("#0550ae"), c("#e6edf3")),
		JSONKey:       ld(c("#0550ae"), c("#79c0ff")),
		JSONString:    ld(c("#0a3069"), c("#a5d6ff")),
		JSONNumber:    ld(c("#953800"), c("#ffa657")),
		JSONLiteral:   ld(c("#8250df"), c("#d2a8ff")),
	}
}

// Styles are built once from a palette and handed to every pane.
type Styles struct {
	Palette Palette
	NoColor bool

	Text, Muted, Subtle, Accent, Bold lipgloss.Style
	Success, Failure, Warning         lipgloss.Style

	Pane, FocusedPane   lipgloss.Style // borders of panes
	Title, FocusedTitle lipgloss.Style // pane titles set in the top border
	Selected            lipgloss.Style // the chosen row of a list
	Tab, ActiveTab      lipgloss.Style
	StatusBar, KeyHint  lipgloss.Style
	HelpKey, HelpDesc   lipgloss.Style
	Dialog              lipgloss.Style

	JSONKey, JSONString, JSONNumber, JSONLiteral, JSONPunct lipgloss.Style
	DiffAdd, DiffDel, DiffSame                              lipgloss.Style
	Match                                                   lipgloss.Style // search matches
	CurrentMatch                                            lipgloss.Style // the match n and N move to

	// Paint holds the styles above ready for cheap concatenation, and
	// Border/FocusedBorder the frame characters; common.Frame uses both.
	Paint                 Paints
	Border, FocusedBorder lipgloss.Border
}

// New builds the styles for a dark or light terminal.
func New(dark, noColor bool) *Styles {
	p := NewPalette(dark, noColor)
	s := lipgloss.NewStyle()
	st := &Styles{Palette: p, NoColor: noColor}
	st.Text = s.Foreground(p.Text)
	st.Muted = s.Foreground(p.Muted)
	st.Subtle = s.Foreground(p.Subtle).Faint(noColor)
	st.Accent = s.Foreground(p.Accent).Bold(true)
	st.Bold = s.Bold(true)
	st.Success = s.Foreground(p.Success).Bold(noColor)
	st.Failure = s.Foreground(p.Failure).Bold(true)
	st.Warning = s.Foreground(p.Warning)
	st.Pane = s.Border(lipgloss.RoundedBorder()).BorderForeground(p.Border)
	st.FocusedPane = s.Border(lipgloss.RoundedBorder()).BorderForeground(p.FocusBorder)
	if noColor {
		st.FocusedPane = s.Border(lipgloss.ThickBorder())
	}
	st.Title = s.Foreground(p.Muted)
	st.FocusedTitle = s.Foreground(p.Accent).Bold(true)
	st.Selected = s.Foreground(p.SelectionText).Background(p.Selection).Bold(true).Reverse(noColor)
	st.Tab = s.Foreground(p.Muted).Padding(0, 1)
	st.ActiveTab = s.Foreground(p.Accent).Bold(true).Underline(true).Padding(0, 1)
	st.StatusBar = s.Foreground(p.Muted)
	st.KeyHint = s.Foreground(p.Subtle)
	st.HelpKey = s.Foreground(p.Accent).Bold(true)
	st.HelpDesc = s.Foreground(p.Muted)
	st.Dialog = s.Border(lipgloss.RoundedBorder()).BorderForeground(p.FocusBorder).Padding(0, 1)
	st.JSONKey = s.Foreground(p.JSONKey)
	st.JSONString = s.Foreground(p.JSONString)
	st.JSONNumber = s.Foreground(p.JSONNumber)
	st.JSONLiteral = s.Foreground(p.JSONLiteral)
	st.JSONPunct = s.Foreground(p.Muted)
	st.DiffAdd = s.Foreground(p.Success)
	st.DiffDel = s.Foreground(p.Failure)
	st.DiffSame = s.Foreground(p.Muted)
	st.Match = s.Reverse(true)
	st.CurrentMatch = s.Foreground(p.Warning).Reverse(true).Bold(true).Underline(noColor)
	st.Border, st.FocusedBorder = lipgloss.RoundedBorder(), lipgloss.RoundedBorder()
	if noColor {
		st.FocusedBorder = lipgloss.ThickBorder()
	}
	st.Paint = newPaints(st)
	return st
}

// tone is which of the styles' colours a status takes.
type tone int

const (
	toneMuted tone = iota
	toneSuccess
	toneFailure
	toneWarning
)

// statusLook is how a status shows: its one-character mark in lists and its
// tone.
type statusLook struct {
	icon string
	tone tone
}

// lookOf is the one table of how each status shows. A status flowtui does
// not know (and Starting) is muted, marked "·".
func lookOf(s fnf.Status) statusLook {
	switch s {
	case fnf.StatusSucceeded:
		return statusLook{"✓", toneSuccess}
	case fnf.StatusFailed, fnf.StatusError:
		return statusLook{"✗", toneFailure}
	case fnf.StatusTimedOut:
		return statusLook{"⏱", toneFailure}
	case fnf.StatusStopped, fnf.StatusCancelled:
		return statusLook{"■", toneWarning}
	case fnf.StatusRunning:
		return statusLook{"…", toneWarning}
	}
	return statusLook{"·", toneMuted}
}

// StatusStyle colours a status.
func (s *Styles) StatusStyle(status fnf.Status) lipgloss.Style {
	switch lookOf(status).tone {
	case toneSuccess:
		return s.Success
	case toneFailure:
		return s.Failure
	case toneWarning:
		return s.Warning
	}
	return s.Muted
}

// StatusIcon is the one-character mark of a status in lists.
func StatusIcon(status fnf.Status) string { return lookOf(status).icon }
