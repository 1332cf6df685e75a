package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

// BenchmarkPasteAsKeystrokes50KiB is a 50 KiB pretty-printed paste from a
// terminal without bracketed paste: 51,200 key messages into the Input pane
// of the whole screen (120×40), each followed by a View as Bubble Tea does,
// through the frame throttle the program runs with ("throttled") and
// without it ("every_frame"). One iteration is the whole paste.
func BenchmarkPasteAsKeystrokes50KiB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{")
	for i := 0; sb.Len() < 50<<10-40; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, "\n  \"k%07d\": \"a value of some length %d\"", i, i)
	}
	sb.WriteString("\n}")
	text := sb.String()
	keys := make([]tea.KeyPressMsg, 0, len(text))
	for _, r := range text {
		if r == '\n' {
			keys = append(keys, tea.KeyPressMsg{Code: tea.KeyEnter})
		} else {
			keys = append(keys, tea.KeyPressMsg{Code: r, Text: string(r)})
		}
	}
	for _, tc := range []struct {
		name     string
		interval time.Duration
	}{{"throttled", FrameInterval}, {"every_frame", 0}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				b.StopTimer()
				root, err := New(Options{Backend: manyFlows{20}, Theme: "dark"})
				if err != nil {
					b.Fatal(err)
				}
				var m tea.Model = root
				m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
				m, _ = m.Update(msgs.FlowsLoaded{Gen: 1, Flows: mustList(b)})
				rm := m.(Model)
				rm.setFocus(paneInput)
				rm.input.SetValue("", "")
				m = Throttle(rm, tc.interval)
				b.StartTimer()
				for _, k := range keys {
					m, _ = m.Update(k)
					_ = m.View()
				}
				b.StopTimer()
				m.Update(redraw{})
				if got := m.(*throttled).inner.(Model).input.Value(); got != text {
					b.Fatalf("the paste landed as %d bytes, want %d", len(got), len(text))
				}
				b.StartTimer()
			}
		})
	}
}

func mustList(b *testing.B) []fnf.Flow {
	fl, err := manyFlows{20}.ListFlows(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return fl
}
