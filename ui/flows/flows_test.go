package flows

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/spinner"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/keys"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

func TestLoadShowsEveryFlowAndSelectsTheFirst(t *testing.T) {
	m, out := loaded(t, newTestModel(t, 36, 23), sampleFlows())
	view := ansi.Strip(m.View())
	for _, f := range sampleFlows() {
		if !strings.Contains(view, f.Name) {
			t.Errorf("flow %q not listed:\n%s", f.Name, view)
		}
	}
	if !strings.Contains(view, "Flows · 6") {
		t.Errorf("title lacks the count:\n%s", view)
	}
	if got := selections(out); !slices.Equal(got, []string{"order-flow"}) {
		t.Fatalf("load announced %v, want [order-flow]", got)
	}
}

func TestRowsMarkModeAndInvalidFlows(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 36, 23), sampleFlows())
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	find := func(name string) string {
		for _, l := range lines {
			if strings.Contains(l, name) {
				return l
			}
		}
		t.Fatalf("no row for %s", name)
		return ""
	}
	if l := find("image-resize"); !strings.HasSuffix(strings.TrimSuffix(l, "│"), "exp") || !strings.Contains(l, "Resizes") {
		t.Errorf("express row without exp or description: %q", l)
	}
	// No ExecutionMode (a legacy FDL flow, an older API answer): Standard.
	if l := find("nightly-report"); !strings.HasSuffix(strings.TrimSuffix(l, "│"), "std") {
		t.Errorf("standard row without std: %q", l)
	}
	if l := find("orders-archive"); !strings.HasSuffix(strings.TrimSuffix(l, "│"), "std") {
		t.Errorf("standard row without std: %q", l)
	}
	if l := find("broken-flow"); !strings.Contains(l, "✗") {
		t.Errorf("invalid row without ✗: %q", l)
	}
	if strings.Contains(ansi.Strip(m.View()), "broken.yaml") {
		t.Errorf("an unselected flow's error is shown")
	}
}

func TestSelectedInvalidFlowShowsItsError(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 36, 23), sampleFlows())
	m, _ = send(m, press(tea.KeyDown), press(tea.KeyDown), press(tea.KeyDown))
	if got := selectedName(t, m); got != "broken-flow" {
		t.Fatalf("selected %q", got)
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "flows/broken.yaml:3:5") {
		t.Fatalf("error of the selected invalid flow not shown:\n%s", view)
	}
}

func TestCursorMovesEmitFlowSelectedOnlyOnChange(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, out := send(m, press(tea.KeyDown), typed("j"), press(tea.KeyUp))
	if got := selections(out); !slices.Equal(got, []string{"image-resize", "nightly-report", "image-resize"}) {
		t.Fatalf("announced %v", got)
	}
	m, out = send(m, press(tea.KeyHome), press(tea.KeyUp), typed("k"))
	if got := selections(out); !slices.Equal(got, []string{"order-flow"}) {
		t.Fatalf("moving past the top announced %v, want [order-flow] once", got)
	}
	m, out = send(m, press(tea.KeyEnd), press(tea.KeyDown))
	if got := selections(out); !slices.Equal(got, []string{"orders-archive"}) {
		t.Fatalf("end announced %v", got)
	}
	_, out = send(m, press(tea.KeyPgUp))
	if got := selections(out); !slices.Equal(got, []string{"order-flow"}) {
		t.Fatalf("pgup announced %v", got)
	}
}

func TestScrollingKeepsTheCursorOnScreen(t *testing.T) {
	var flows []fnf.Flow
	for i := range 100 {
		flows = append(flows, fnf.Flow{Name: fmt.Sprintf("flow-%03d", i), ExecutionMode: fnf.ModeExpress})
	}
	m, _ := loaded(t, newTestModel(t, 24, 13), flows)
	m, _ = send(m, press(tea.KeyPgDown), press(tea.KeyPgDown), press(tea.KeyDown))
	view := ansi.Strip(m.View())
	name := selectedName(t, m)
	if !strings.Contains(view, "> "+name) {
		t.Fatalf("cursor row %s not on screen:\n%s", name, view)
	}
	if !strings.Contains(view, fmt.Sprintf("%d/100", m.cursor+1)) {
		t.Fatalf("footer lacks the position:\n%s", view)
	}
	m, _ = send(m, press(tea.KeyEnd))
	if view := ansi.Strip(m.View()); !strings.Contains(view, "> flow-099") || !strings.Contains(view, "flow-089") {
		t.Fatalf("end does not show the last full page:\n%s", view)
	}
}

func TestFilterNarrowsRanksAndAnnounces(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 36, 23), sampleFlows())
	m, _ = send(m, typed("/"))
	if !m.Capturing() {
		t.Fatal("not capturing while typing the filter")
	}
	m, out := typeText(m, "ordr")
	view := ansi.Strip(m.View())
	for _, gone := range []string{"image-resize", "nightly-report", "payment-refund"} {
		if strings.Contains(view, gone) {
			t.Errorf("%s still listed under filter ordr:\n%s", gone, view)
		}
	}
	if !strings.Contains(view, "order-flow") || !strings.Contains(view, "orders-archive") {
		t.Errorf("matches missing:\n%s", view)
	}
	if !strings.Contains(view, "1/2 · /ordr") {
		t.Errorf("footer lacks position and filter:\n%s", view)
	}
	// order-flow was selected before; the best match stays it, so nothing new.
	if got := selections(out); len(got) != 0 {
		t.Errorf("filter announced %v, the selection did not change", got)
	}
	m, out = typeText(m, "s")
	if got := selections(out); !slices.Equal(got, []string{"orders-archive"}) {
		t.Errorf("narrowing to orders-archive announced %v", got)
	}
	m, _ = send(m, press(tea.KeyEnter))
	if m.Capturing() || m.Filter() != "ordrs" {
		t.Fatalf("enter should keep the filter and stop typing: capturing=%v filter=%q", m.Capturing(), m.Filter())
	}
	m, out = send(m, press(tea.KeyEscape))
	if m.Filter() != "" || !strings.Contains(ansi.Strip(m.View()), "image-resize") {
		t.Fatalf("esc did not clear the filter")
	}
	if got := selectedName(t, m); got != "orders-archive" || len(selections(out)) != 0 {
		t.Fatalf("clearing the filter moved the selection to %s (announced %v)", got, selections(out))
	}
}

func TestFilterPrefersWordStartsAndRuns(t *testing.T) {
	rows := []row{{name: "xxfxlxoxw"}, {name: "workflow"}, {name: "flow-a"}, {name: "nope"}}
	got := filterRows(rows, parseQuery("FLOW"))
	if !slices.Equal(got, []int{2, 1, 0}) {
		t.Fatalf("ranked %v, want [2 1 0]", got)
	}
}

func TestEscWhileTypingClearsAndNoFlowMatches(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, _ = send(m, typed("/"))
	m, out := typeText(m, "xqx")
	if len(selections(out)) != 0 {
		t.Fatalf("an empty result announced %v", selections(out))
	}
	if view := ansi.Strip(m.View()); !strings.Contains(view, "no flow matches") {
		t.Fatalf("no empty-result message:\n%s", view)
	}
	m, _ = send(m, press(tea.KeyBackspace), press(tea.KeyBackspace), press(tea.KeyBackspace), typed("q"))
	if m.Filter() != "q" {
		t.Fatalf("q while typing should be text, filter %q", m.Filter())
	}
	m, out = send(m, press(tea.KeyEscape))
	if m.Capturing() || m.Filter() != "" {
		t.Fatalf("esc left capturing=%v filter=%q", m.Capturing(), m.Filter())
	}
	// Nothing else was selected meanwhile: order-flow stays, unannounced.
	if got := selections(out); len(got) != 0 || selectedName(t, m) != "order-flow" {
		t.Fatalf("back to the full list announced %v, selected %s", got, selectedName(t, m))
	}
}

func TestPasteGoesIntoTheFilter(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, _ = m.Update(tea.PasteMsg{Content: "image\x1b\n"})
	if m.Filter() != "" {
		t.Fatal("paste outside the filter changed it")
	}
	m, _ = send(m, typed("/"))
	m, _ = m.Update(tea.PasteMsg{Content: "image\x1b\n"})
	if m.Filter() != "image" {
		t.Fatalf("filter %q, want image (controls dropped)", m.Filter())
	}
}

// Enter leaves the selection as it is and sends nothing: the root reads the
// selection and moves the focus when it reads the key.
func TestEnterChangesNothingTheRootMustWaitFor(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, _ = send(m, press(tea.KeyDown))
	m, cmd := m.Update(press(tea.KeyEnter))
	if cmd != nil || selectedName(t, m) != "image-resize" {
		t.Fatalf("enter returned a command (%v) or moved the selection to %s", cmd != nil, selectedName(t, m))
	}
}

func TestStaleLoadIsDropped(t *testing.T) {
	m := newTestModel(t, 24, 13)
	m, _ = m.Update(msgs.FlowsLoaded{Gen: 2, Flows: sampleFlows()[:2]})
	m, cmd := m.Update(msgs.FlowsLoaded{Gen: 1, Flows: []fnf.Flow{{Name: "stale-flow"}}})
	if cmd != nil || strings.Contains(ansi.Strip(m.View()), "stale-flow") {
		t.Fatal("an older load replaced a newer one")
	}
	m, _ = m.Update(msgs.FlowsLoaded{Gen: 1, Err: errors.New("stale failure")})
	if strings.Contains(ansi.Strip(m.View()), "stale failure") {
		t.Fatal("an older load's error shown")
	}
}

func TestReloadKeepsTheSelectedFlow(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m, _ = send(m, press(tea.KeyDown), press(tea.KeyDown)) // nightly-report
	flows := append([]fnf.Flow{{Name: "a-new-flow"}}, sampleFlows()...)
	m, out := step(m, msgs.FlowsLoaded{Gen: 2, Flows: flows})
	if got := selectedName(t, m); got != "nightly-report" {
		t.Fatalf("reload moved the cursor to %s", got)
	}
	if got := selections(out); len(got) != 0 {
		t.Fatalf("reload announced %v though the selection did not change", got)
	}
	m, out = step(m, msgs.FlowsLoaded{Gen: 3, Flows: sampleFlows()[:2]})
	if got := selections(out); len(got) != 1 || got[0] != selectedName(t, m) {
		t.Fatalf("losing the selected flow announced %v", got)
	}
}

func TestErrorIsShownWithRetryKey(t *testing.T) {
	m := newTestModel(t, 24, 13)
	m, _ = m.Update(msgs.FlowsLoaded{Gen: 1, Err: errors.New("ListFlows: Forbidden.RAM: the user \x1b[31mbob\x1b[0m may not list flows in cn-hangzhou")})
	view := m.View()
	if strings.Contains(view, "\x1b[31m") {
		t.Fatal("raw escape sequence from the error reached the view")
	}
	plain := ansi.Strip(view)
	if !strings.Contains(plain, "Forbidden.RAM") || !strings.Contains(plain, "r to retry") {
		t.Fatalf("error or retry hint missing:\n%s", plain)
	}
	if !strings.Contains(plain, "cn-hangzhou") {
		t.Fatalf("error not wrapped to the width:\n%s", plain)
	}
	_, out := send(m, typed("r"))
	if len(out) != 1 || out[0] != (msgs.ReloadFlows{}) {
		t.Fatalf("r emitted %#v, want ReloadFlows", out)
	}
	_, out = send(m, press(tea.KeyDown), press(tea.KeyEnter))
	if len(out) != 0 {
		t.Fatalf("keys acted on hidden rows: %#v", out)
	}
}

func TestSpinnerTicksOnlyWhileLoading(t *testing.T) {
	m := newTestModel(t, 24, 13)
	m, cmd := m.Update(Loading{})
	if cmd == nil {
		t.Fatal("loading started no spinner")
	}
	tick, ok := cmd().(spinner.TickMsg)
	if !ok {
		t.Fatalf("loading cmd gave %T", cmd())
	}
	if !strings.Contains(ansi.Strip(m.View()), "loading flows") {
		t.Fatalf("no loading state:\n%s", ansi.Strip(m.View()))
	}
	if _, again := m.Update(Loading{}); again != nil {
		t.Fatal("a second Loading started a second spinner")
	}
	if _, next := m.Update(tick); next == nil {
		t.Fatal("spinner stopped while loading")
	}
	m, _ = loaded(t, m, sampleFlows())
	if _, next := m.Update(tick); next != nil {
		t.Fatal("spinner keeps ticking after the load")
	}
}

func TestHostileNamesAreShownEscaped(t *testing.T) {
	flows := []fnf.Flow{
		{Name: "evil\x1b]0;pwned\x07", Description: "desc\x1b[2J\u202e", ExecutionMode: fnf.ModeExpress},
		{Name: "bad\x1b]0;pwned\x07", Error: "line 1\x1b[31m red\x07"},
	}
	m, _ := loaded(t, newTestModel(t, 60, 12), flows)
	m, _ = send(m, press(tea.KeyDown))
	view := m.View()
	plain := ansi.Strip(view)
	if strings.ContainsAny(plain, "\x1b\x07\u202e") {
		t.Fatalf("control characters reached the view: %q", plain)
	}
	if !strings.Contains(plain, "evil^[]0;pwned^G") {
		t.Fatalf("hostile name not shown escaped:\n%s", plain)
	}
	if strings.Contains(view, "\x1b]") || strings.Contains(view, "\x07") {
		t.Fatal("an OSC sequence reached the terminal")
	}
}

func TestViewIsExactlyTheGivenSize(t *testing.T) {
	long := sampleFlows()
	long = append(long, fnf.Flow{Name: strings.Repeat("宽", 40), Description: strings.Repeat("d", 80)})
	for _, size := range [][2]int{{24, 13}, {36, 23}, {60, 35}, {10, 4}, {4, 2}} {
		m, _ := loaded(t, newTestModel(t, size[0], size[1]), long)
		m, _ = send(m, press(tea.KeyEnd), press(tea.KeyUp), press(tea.KeyUp), press(tea.KeyUp))
		lines := strings.Split(m.View(), "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Fatalf("%v: line %d is %d wide: %q", size, i, w, ansi.Strip(l))
			}
		}
	}
}

func TestKeyMapOverridesApply(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	if err := keys.Override(m.KeyMap().Bindings(), map[string][]string{"down": {"n"}}); err != nil {
		t.Fatal(err)
	}
	m, out := send(m, typed("n"))
	if got := selections(out); !slices.Equal(got, []string{"image-resize"}) {
		t.Fatalf("remapped down announced %v", got)
	}
	if _, out = send(m, typed("j")); len(out) != 0 {
		t.Fatalf("j still moves after the remap: %v", out)
	}
}

func TestHelpFollowsTheMode(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	if h := m.ShortHelp(); len(h) == 0 || h[0].Help().Desc != "choose" {
		t.Fatalf("short help %v", h)
	}
	m, _ = send(m, typed("/"))
	if h := m.ShortHelp(); h[0].Help().Desc != "apply filter" {
		t.Fatalf("short help while typing %v", h)
	}
	if len(m.FullHelp()) == 0 {
		t.Fatal("no full help")
	}
}

func TestNoColorMarksTheSelectionWithoutColour(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 24, 13), sampleFlows())
	m.common.Styles = theme.New(true, true)
	view := m.View()
	if strings.Contains(view, "38;2") {
		t.Fatalf("colour with NO_COLOR: %q", view)
	}
	if !strings.Contains(view, "\x1b[1;7m> order-flow") {
		t.Fatalf("selected row not in reverse video: %q", view)
	}
}

func TestTheFilterSelectsByMode(t *testing.T) {
	for filter, want := range map[string][]string{
		"mode:std":      {"nightly-report", "orders-archive"},
		"mode:Standard": {"nightly-report", "orders-archive"},
		"mode:exp":      {"order-flow", "image-resize", "payment-refund"},
		"ord mode:std":  {"orders-archive"},
		"mode:e or":     {"order-flow"},
		"mode:":         {"order-flow", "image-resize", "nightly-report", "broken-flow", "payment-refund", "orders-archive"},
	} {
		m, _ := loaded(t, newTestModel(t, 36, 23), sampleFlows())
		m, _ = send(m, typed("/"))
		m, _ = typeText(m, filter)
		var got []string
		for _, i := range m.visible {
			got = append(got, m.flows[i].Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("filter %q lists %v, want %v", filter, got, want)
		}
	}
}

func TestAModeFilterNamingNoModeSaysWhatToType(t *testing.T) {
	m, _ := loaded(t, newTestModel(t, 36, 23), sampleFlows())
	m, _ = send(m, typed("/"))
	m, _ = typeText(m, "mode:fast")
	if v := ansi.Strip(m.View()); !strings.Contains(v, "use mode:std or") || len(m.visible) != 0 {
		t.Fatalf("mode:fast lists %d flows:\n%s", len(m.visible), v)
	}
}
