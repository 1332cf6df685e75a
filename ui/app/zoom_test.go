package app

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// Each pane zoomed, at the two sizes the layout is designed for, after a run
// (go test ./ui/app -update rewrites the files).
func TestZoomedScreenGolden(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 40}} {
		for p := range paneCount {
			h := newHarness(t, sz[0], sz[1], func(o *Options) { o.Backend = fixedBackend{mustLocal(t)} })
			m := h.model()
			name := m.panes()[p].name
			t.Run(fmt.Sprintf("%dx%d/%s", sz[0], sz[1], name), func(t *testing.T) {
				h.selectFlow("order-routing")
				h.key("ctrl+r")
				h.focus(p)
				h.send(f2)
				golden.RequireEqual(t, h.screen())
			})
		}
	}
}

// f2 is the zoom key that acts while a pane takes typed text.
var f2 = tea.KeyPressMsg{Code: tea.KeyF2}

// focus moves the focus to pane p with tab.
func (h *harness) focus(p pane) {
	h.t.Helper()
	for i := 0; i < int(paneCount) && h.model().focus != p; i++ {
		h.key("tab")
	}
	if h.model().focus != p {
		h.t.Fatalf("focus on %d, want %d", h.model().focus, p)
	}
}

// top is the first line of the screen: the top border of the pane(s) there.
func (h *harness) top() string { return strings.SplitN(h.screen(), "\n", 2)[0] }

func TestZoomFillsTheScreenWithTheFocusedPaneAndRestores(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.focus(paneRuns)
	normal := h.screen()
	h.key("+")
	if top := h.top(); !strings.Contains(top, "Runs") || strings.Contains(top, "Input") ||
		ansi.StringWidth(top) != 120 || !strings.HasSuffix(top, "╮") {
		t.Fatalf("zoomed Runs is not the whole width:\n%s", h.screen())
	}
	if s := h.screen(); strings.Contains(s, "Flows ·") || strings.Count(s, "\n") != 39 {
		t.Fatalf("zoomed screen shows other panes or is not 40 lines:\n%s", s)
	}
	h.wantScreen("+ zoomed: restore")
	h.key("+")
	if got := h.screen(); got != normal {
		t.Fatalf("restoring did not bring the layout back:\n%s\nwant:\n%s", got, normal)
	}
}

// Moving the focus while zoomed zooms the pane focused, as lazygit's full
// screen does; the pane left gets its place in the layout back.
func TestZoomFollowsTheFocus(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.key("+") // Flows
	h.key("tab")
	if top := h.top(); !strings.Contains(top, "Runs") || strings.Contains(top, "Flows") {
		t.Fatalf("tab while zoomed did not zoom Runs:\n%s", h.screen())
	}
	m := h.model()
	if got, want := m.sizes[paneRuns], (size{80, 23}); got != want {
		t.Fatalf("zoomed Runs is %v, want %v", got, want)
	}
	if got, want := m.sizes[paneFlows], m.paneSizes()[paneFlows]; got != want || got.w == 80 {
		t.Fatalf("Flows kept the zoomed size %v", got)
	}
}

// In the editor + is a plus; f2 zooms from there.
func TestPlusIsTextInTheEditorAndF2ZoomsIt(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	h.key("enter") // to Input
	if h.model().focus != paneInput {
		t.Fatal("enter did not focus Input")
	}
	h.key("+")
	if h.model().zoomed || !strings.Contains(h.model().input.Value(), "+") {
		t.Fatalf("+ in the editor zoomed (%v) or typed nothing: %q", h.model().zoomed, h.model().input.Value())
	}
	h.key("f1")
	h.wantScreen("f2", "zoom pane") // + types here: help names f2 alone
	if strings.Contains(h.screen(), "+/f2") {
		t.Fatalf("help in the editor offers +, which types:\n%s", h.screen())
	}
	h.key("esc")
	h.send(f2)
	if !h.model().zoomed || !strings.Contains(h.top(), "Input") {
		t.Fatalf("f2 did not zoom the editor:\n%s", h.screen())
	}
	h.wantScreen("f2 zoomed: restore")
}

// A resize while zoomed keeps the zoom, at the new size.
func TestAResizeKeepsTheZoom(t *testing.T) {
	h := newHarness(t, 80, 24)
	h.focus(paneResult)
	h.key("+")
	h.send(tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := h.model().sizes[paneResult]; got != (size{120, 39}) {
		t.Fatalf("zoomed Result after a resize is %v", got)
	}
}

// The zoom keys act in every pane that is not taking text: no pane binds them.
func TestNoPaneBindsTheZoomKeys(t *testing.T) {
	h := newHarness(t, 80, 24)
	m := h.model()
	for _, p := range m.panes() {
		for action, b := range p.KeyBindings() {
			for _, k := range m.c.Keys.Zoom.Keys() {
				for _, pk := range b.Keys() {
					if pk == k {
						t.Errorf("%s.%s binds %q, the zoom key", p.name, action, k)
					}
				}
			}
		}
	}
}

// The palette names the pane it zooms, and what restores it.
func TestThePaletteZoomsAndRestores(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.focus(paneResult)
	h.key("ctrl+p")
	h.wantScreen("Zoom Result to the whole screen")
	h.typeText("zoom result")
	h.key("enter")
	if !h.model().zoomed || !strings.Contains(h.top(), "Result") {
		t.Fatalf("the palette did not zoom Result:\n%s", h.screen())
	}
	h.key("ctrl+p")
	h.wantScreen("Restore the layout (Result is zoomed)")
	h.typeText("restore")
	h.key("enter")
	if h.model().zoomed {
		t.Fatal("the palette did not restore the layout")
	}
}
