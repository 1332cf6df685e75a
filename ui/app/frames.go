package app

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// FrameInterval is the least time between two frames the throttled model
// draws: 60 frames a second, the renderer's own rate.
const FrameInterval = time.Second / 60

// Throttle bounds how often m draws. Bubble Tea calls View after every
// message, and a paste from a terminal without bracketed paste is a message
// per character: 51,200 frames of the whole screen for 50 KiB, half a
// millisecond each. Within interval of the last frame View gives that frame
// again, and one timer makes sure the state after the last message is drawn
// (at most interval later); the renderer shows no more frames than that
// anyway.
func Throttle(m tea.Model, interval time.Duration) tea.Model {
	return &throttled{inner: m, every: interval, now: time.Now}
}

type throttled struct {
	inner tea.Model
	every time.Duration
	now   func() time.Time

	last  time.Time // when the frame kept was drawn
	frame tea.View
	drawn bool // a frame is kept
	stale bool // a message came after it
	armed bool // a redraw timer is running
}

// redraw is the timer that draws the state a skipped frame left out.
type redraw struct{}

func (t *throttled) Init() tea.Cmd { return t.inner.Init() }

func (t *throttled) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if _, ok := msg.(redraw); ok {
		t.armed = false
	} else {
		t.inner, cmd = t.inner.Update(msg)
		t.stale = true
	}
	if t.stale && !t.armed && t.now().Sub(t.last) < t.every {
		t.armed = true
		cmd = tea.Batch(cmd, tea.Tick(t.every, func(time.Time) tea.Msg { return redraw{} }))
	}
	return t, cmd
}

func (t *throttled) View() tea.View {
	if now := t.now(); !t.drawn || t.stale && now.Sub(t.last) >= t.every {
		t.frame, t.last, t.drawn, t.stale = t.inner.View(), now, true, false
	}
	return t.frame
}
