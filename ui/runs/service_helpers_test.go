package runs

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// all runs a command and the commands of the batches it makes, and returns
// the messages that are not batches (timers are not waited for).
func all(c tea.Cmd) []tea.Msg {
	if c == nil {
		return nil
	}
	msg := c()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, all(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// found is the first message of type T that c makes.
func found[T any](c tea.Cmd) (T, bool) {
	for _, msg := range all(c) {
		if t, ok := msg.(T); ok {
			return t, true
		}
	}
	var zero T
	return zero, false
}

// The tests' refresh timer fires at once.
func init() { refreshEvery = time.Millisecond }
