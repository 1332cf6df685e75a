package result

import (
	"errors"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/spinner"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

func TestEmptyPaneInvitesARun(t *testing.T) {
	m := newTestModel(t, 84, 24)
	v := plainView(m)
	if !strings.Contains(v, "╭─ Result ─") || !strings.Contains(v, "ctrl+r runs the selected flow") {
		t.Fatalf("empty view:\n%s", v)
	}
}

func TestRunInFlightShowsElapsedTimeAndSpinner(t *testing.T) {
	m := newTestModel(t, 84, 24)
	m, cmd := m.Update(msgs.RunStarted{ID: 7, Flow: "order-flow", Started: clock.Add(-3200 * time.Millisecond)})
	if cmd == nil {
		t.Fatal("no spinner tick while running")
	}
	v := plainView(m)
	if !strings.Contains(v, "Result · running · 3.2 s") || !strings.Contains(v, "running order-flow · esc stops waiting") {
		t.Fatalf("running view:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunFinished{ID: 7, View: sampleRun()})
	if _, cmd := m.Update(spinner.TickMsg{ID: m.spin.ID()}); cmd != nil {
		t.Error("the spinner keeps ticking after the run ended")
	}
}

func TestStaleRunFinishedIsDropped(t *testing.T) {
	m := newTestModel(t, 84, 24)
	m, _ = send(t, m, msgs.RunStarted{ID: 1, Flow: "order-flow"})
	m, _ = send(t, m, msgs.RunStarted{ID: 2, Flow: "order-flow"})
	stale := sampleRun()
	stale.Output = `{"which":"stale"}`
	m, _ = send(t, m, msgs.RunFinished{ID: 1, View: stale})
	if v := plainView(m); strings.Contains(v, "stale") || !strings.Contains(v, "running") {
		t.Fatalf("stale result shown:\n%s", v)
	}
	fresh := sampleRun()
	fresh.Output = `{"which":"fresh"}`
	m, _ = send(t, m, msgs.RunFinished{ID: 2, View: fresh})
	if v := plainView(m); !strings.Contains(v, `"which": "fresh"`) || !strings.Contains(v, "Result · Succeeded · 132 ms") {
		t.Fatalf("fresh result not shown:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunFinished{ID: 2, View: stale})
	if strings.Contains(plainView(m), "stale") {
		t.Fatal("a second answer for a finished run replaced it")
	}
}

func TestRunCancelledSaysTheExecutionGoesOn(t *testing.T) {
	m := newTestModel(t, 84, 24)
	m, _ = send(t, m, msgs.RunStarted{ID: 3, Flow: "order-flow", Started: clock.Add(-1500 * time.Millisecond)})
	m, _ = send(t, m, msgs.RunCancelled{ID: 3})
	v := plainView(m)
	if !strings.Contains(v, "stopped waiting — an Express execution goes on server-side") || !strings.Contains(v, "Result · Cancelled · 1.5 s") {
		t.Fatalf("cancelled view:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunFinished{ID: 3, View: sampleRun()})
	if strings.Contains(plainView(m), "orderId") {
		t.Fatal("the answer of a cancelled run was shown")
	}
}

func TestRunOpenedShowsAPastRun(t *testing.T) {
	m := newTestModel(t, 84, 24)
	m, _ = send(t, m, msgs.RunOpened{View: sampleRun()})
	if v := plainView(m); !strings.Contains(v, `"orderId": "A-1"`) || !strings.Contains(v, "JSON · 171 B") {
		t.Fatalf("opened run:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunOpened{Err: errors.New("run 9 is gone")})
	if v := plainView(m); !strings.Contains(v, "could not open the run: run 9 is gone") {
		t.Fatalf("failed open:\n%s", v)
	}
}

func TestTabsSwitchByNumberBracketAndArrow(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	steps := []struct {
		key  string
		want tabID
	}{{"2", tabError}, {"3", tabTiming}, {"]", tabTrace}, {"right", tabDefinition}, {"]", tabOutput},
		{"[", tabDefinition}, {"left", tabTrace}, {"1", tabOutput}, {"6", tabOutput}}
	for _, s := range steps {
		m, _ = press(t, m, s.key)
		if m.tab != s.want {
			t.Fatalf("after %q: tab %v, want %v", s.key, m.tab, s.want)
		}
	}
}

func TestOutputControlSequencesAreShownNotSent(t *testing.T) {
	for name, out := range map[string]string{
		"json": `{"title":"\u001b]0;pwned\u0007","csi":"` + "\u009b" + `2J","del":"` + "\x7f" + `"}`,
		"text": "\x1b]0;pwned\x07 and \u009b2J and \x1bP+q544e\x1b\\",
	} {
		t.Run(name, func(t *testing.T) {
			run := sampleRun()
			run.Output, run.ErrorMessage, run.Status, run.ErrorCode = out, out, fnf.StatusFailed, "Boom\x1b[2J"
			run.Steps[0].Output = out
			m := showing(t, newTestModel(t, 84, 24), run)
			m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "x\x1b]0;t\x07", Definition: "a: \"\x1b[31m\"\n"}})
			for _, k := range []string{"1", "2", "3", "4", "5"} {
				m, _ = press(t, m, k)
				if k == "4" {
					m, _ = press(t, m, "enter")
				}
				v := m.View()
				if bad := unsafeRune(v); bad != "" {
					t.Fatalf("tab %s: %s reaches the terminal:\n%q", k, bad, v)
				}
				if k == "1" && !strings.Contains(ansi.Strip(v), map[string]string{"json": `\u001b]0;pwned\u0007`, "text": "^[]0;pwned^G"}[name]) {
					t.Fatalf("tab 1 does not show the sequence escaped:\n%s", ansi.Strip(v))
				}
				if k == "1" && !strings.Contains(ansi.Strip(v), `\u009b2J`) {
					t.Fatalf("raw U+009B not shown escaped:\n%s", ansi.Strip(v))
				}
			}
		})
	}
}

// unsafeRune names the first control that is not part of an SGR sequence.
func unsafeRune(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] == 0x1b {
			j := i + 2
			if i+1 >= len(v) || v[i+1] != '[' {
				return "a bare ESC"
			}
			for j < len(v) && (v[j] >= '0' && v[j] <= '9' || v[j] == ';' || v[j] == ':') {
				j++
			}
			if j >= len(v) || v[j] != 'm' {
				return "a CSI that is not SGR"
			}
			i = j
		}
	}
	for _, r := range ansi.Strip(v) {
		if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r < 0xa0 {
			return "control " + string(rune('0'+r%10))
		}
	}
	return ""
}

func TestViewIsExactlyTheGivenSize(t *testing.T) {
	for _, size := range [][2]int{{56, 14}, {84, 24}, {120, 40}, {30, 6}, {10, 4}} {
		m := newTestModel(t, size[0], size[1])
		checkSize(t, m.View(), size[0], size[1])
		m = diffOf(t, showing(t, m, sampleRun()), sampleOutput, `{"orderId":"A-2","items":[]}`)
		m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow", Definition: sampleYAML}})
		for _, k := range []string{"1", "2", "3", "4", "5", "6"} {
			m, _ = press(t, m, k)
			checkSize(t, m.View(), size[0], size[1])
		}
		m, _ = press(t, m, "1", "/")
		checkSize(t, m.View(), size[0], size[1])
	}
}

func TestResizeRewrapsWithoutACommand(t *testing.T) {
	run := sampleRun()
	run.Output = `{"text":"` + strings.Repeat("lorem ipsum ", 40) + `"}`
	m := showing(t, newTestModel(t, 84, 24), run)
	narrow := strings.Count(plainView(m), "lorem")
	m.SetSize(120, 24)
	wide := strings.Count(plainView(m), "lorem")
	if narrow != 40 || wide != 40 {
		t.Fatalf("wrapped text lost words: %d at 84, %d at 120", narrow, wide)
	}
	m.SetSize(40, 24)
	checkSize(t, m.View(), 40, 24)
	if got := strings.Count(plainView(m), "lorem"); got < 30 {
		t.Fatalf("at 40 columns only %d words show:\n%s", got, plainView(m))
	}
}

func TestLargeOutputIsPlainButWrapped(t *testing.T) {
	run := sampleRun()
	run.Output = bigOutput(HighlightLimit + 4096)
	m := showing(t, newTestModel(t, 84, 24), run)
	v := m.View()
	if !strings.Contains(ansi.Strip(v), "not highlighted") || strings.Contains(v, m.common.Styles.JSONKey.Render(`"orderId"`)) {
		t.Fatalf("large output:\n%s", ansi.Strip(v))
	}
	m, _ = press(t, m, "end")
	if !strings.Contains(plainView(m), `"status": "paid"`) {
		t.Fatalf("end of a large output:\n%s", plainView(m))
	}
}

// The service's times have millisecond precision: the title never shows a
// decimal it does not know ("4.0 ms"), and a run under a millisecond reads
// "<1 ms", as Runs and the command line show it.
func TestTitleDurationHasTheServicePrecision(t *testing.T) {
	for _, c := range []struct {
		took time.Duration
		want string
	}{{4 * time.Millisecond, "Succeeded · 4 ms ·"}, {0, "Succeeded · <1 ms ·"}, {1500 * time.Millisecond, "Succeeded · 1.5 s ·"}} {
		run := sampleRun()
		run.StoppedTime = run.StartedTime.Add(c.took)
		m := showing(t, newTestModel(t, 84, 24), run)
		if v := plainView(m); !strings.Contains(v, c.want) {
			t.Errorf("took %v: title lacks %q:\n%s", c.took, c.want, strings.SplitN(v, "\n", 2)[0])
		}
	}
}
