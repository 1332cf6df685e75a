package flows

import (
	"errors"
	"reflect"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

func newTestModel(t testing.TB, w, h int) Model {
	t.Helper()
	c := common.New(theme.New(true, false))
	c.Now = func() time.Time { return time.Date(2026, 3, 14, 15, 30, 0, 0, time.UTC) }
	m := New(c)
	m.SetSize(w, h)
	m.Focus()
	return m
}

func sampleFlows() []fnf.Flow {
	return []fnf.Flow{
		{Name: "order-flow", Description: "Takes an order and charges the card", ExecutionMode: fnf.ModeExpress},
		{Name: "image-resize", Description: "Resizes uploaded images", ExecutionMode: fnf.ModeExpress},
		{Name: "nightly-report", Description: "Builds the nightly sales report"},
		{Name: "broken-flow", Error: `flows/broken.yaml:3:5: state "Pay": Next names "Ship", which is not defined`},
		{Name: "payment-refund", ExecutionMode: fnf.ModeExpress},
		{Name: "orders-archive", Description: "Moves old orders to cold storage", ExecutionMode: fnf.ModeStandard},
	}
}

// loaded returns a model showing flows, and the messages the load emitted.
func loaded(t testing.TB, m Model, flows []fnf.Flow) (Model, []tea.Msg) {
	t.Helper()
	return step(m, msgs.FlowsLoaded{Gen: 1, Flows: flows})
}

// step updates the pane and returns the messages of its command, plus a
// FlowSelected when the flow under the cursor is no longer the one the root
// selected last: the root reads Selected after every update and selects that
// flow at once.
func step(m Model, msg tea.Msg) (Model, []tea.Msg) {
	before, had := m.selected, m.hasSel
	m, cmd := m.Update(msg)
	out := run(cmd)
	if f, ok := m.Selected(); ok && (!had || f.Name != before) {
		out = append(out, msgs.FlowSelected{Flow: f})
	}
	return m, out
}

// run executes a command and the batches and sequences it returns, and
// collects the messages.
func run(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, run(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func press(code rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: code} }

func typed(s string) tea.KeyPressMsg {
	r := []rune(s)
	return tea.KeyPressMsg{Code: r[0], Text: s}
}

func send(m Model, ks ...tea.KeyPressMsg) (Model, []tea.Msg) {
	var out []tea.Msg
	for _, k := range ks {
		var got []tea.Msg
		m, got = step(m, k)
		out = append(out, got...)
	}
	return m, out
}

func typeText(m Model, s string) (Model, []tea.Msg) {
	var ks []tea.KeyPressMsg
	for _, r := range s {
		ks = append(ks, typed(string(r)))
	}
	return send(m, ks...)
}

// selections returns the names of the flows the root would select, in order.
func selections(ms []tea.Msg) []string {
	var names []string
	for _, msg := range ms {
		if s, ok := msg.(msgs.FlowSelected); ok {
			names = append(names, s.Flow.Name)
		}
	}
	return names
}

func selectedName(t testing.TB, m Model) string {
	t.Helper()
	f, ok := m.Selected()
	if !ok {
		t.Fatal("no flow selected")
	}
	return f.Name
}

func errLoad() msgs.FlowsLoaded {
	return msgs.FlowsLoaded{Gen: 1, Err: errors.New(`ListFlows: cn-hangzhou.fnf.aliyuncs.com: Forbidden.RAM: user "dev" may not call fnf:ListFlows`)}
}
