package app

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// counter counts its messages and its frames.
type counter struct{ msgs, frames *int }

func (c counter) Init() tea.Cmd { return nil }
func (c counter) Update(tea.Msg) (tea.Model, tea.Cmd) {
	*c.msgs++
	return c, nil
}
func (c counter) View() tea.View {
	*c.frames++
	var v tea.View
	v.SetContent(time.Duration(*c.msgs).String())
	return v
}

func TestThrottleDrawsABurstOnceAndItsEnd(t *testing.T) {
	var msgs, frames int
	clock := time.Unix(0, 0)
	m := Throttle(counter{&msgs, &frames}, FrameInterval).(*throttled)
	m.now = func() time.Time { return clock }
	var timers []tea.Cmd
	for range 1000 { // a burst within one frame interval, as Bubble Tea delivers it
		_, cmd := m.Update(tea.KeyPressMsg{Code: 'x', Text: "x"})
		if cmd != nil {
			timers = append(timers, cmd)
		}
		m.View()
		clock = clock.Add(time.Microsecond)
	}
	if frames != 1 || msgs != 1000 {
		t.Fatalf("%d frames for %d messages, want 1 frame", frames, msgs)
	}
	if len(timers) != 1 {
		t.Fatalf("%d redraw timers, want 1", len(timers))
	}
	if got := m.View().Content; got == time.Duration(1000).String() {
		t.Fatal("the last state was drawn within the interval")
	}
	clock = clock.Add(FrameInterval)
	m.Update(redraw{})
	if got := m.View().Content; got != time.Duration(1000).String() || frames != 2 {
		t.Fatalf("after the timer the frame shows %q (%d frames), want the last state", got, frames)
	}
	// Idle: a message after the interval is drawn at once, without a timer.
	clock = clock.Add(time.Second)
	if _, cmd := m.Update(tea.KeyPressMsg{Code: 'y', Text: "y"}); cmd != nil {
		t.Fatal("a timer started for a message that is drawn at once")
	}
	if got := m.View().Content; got != time.Duration(1001).String() {
		t.Fatalf("frame %q after an idle key", got)
	}
}
