package result

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
	"github.com/flowtui/flowtui/ui/uitest"
)

// clock is the fixed "now" of the tests.
var clock = time.Date(2026, 3, 14, 10, 1, 5, 0, time.UTC)

func newTestModel(tb testing.TB, w, h int) Model {
	tb.Helper()
	c := common.New(theme.New(true, false))
	c.Now = func() time.Time { return clock }
	m := New(c)
	m.loc = time.FixedZone("CST", 8*3600)
	m.SetSize(w, h)
	m.Focus()
	return m
}

// send hands msg to the model and runs the commands that follow, feeding
// their messages back, until none is left. Messages meant for the root
// (status, clipboard) are returned. The spinner's tick is never run: it
// sleeps.
func send(tb testing.TB, m Model, msg tea.Msg) (Model, []tea.Msg) {
	tb.Helper()
	m, cmd := m.Update(msg)
	if _, ok := msg.(msgs.RunStarted); ok {
		return m, nil
	}
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch r := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, r...)
		case msgs.Status:
			out = append(out, r)
		case pageReady, searchDone, jqDone, detailReady:
			var next tea.Cmd
			m, next = m.Update(r)
			queue = append(queue, next)
		default:
			out = append(out, r)
		}
	}
	return m, out
}

func press(tb testing.TB, m Model, keys ...string) (Model, []tea.Msg) {
	tb.Helper()
	var all []tea.Msg
	for _, k := range keys {
		var out []tea.Msg
		m, out = send(tb, m, keyMsg(k))
		all = append(all, out...)
	}
	return m, all
}

func keyMsg(k string) tea.KeyPressMsg { return uitest.Key(k) }

// typeText types s one key at a time.
func typeText(tb testing.TB, m Model, s string) Model {
	tb.Helper()
	for _, r := range s {
		m, _ = send(tb, m, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	return m
}

const sampleOutput = `{"orderId":"A-1","status":"paid","total":42.5,"items":[{"sku":"KB-1","qty":1,"gift":false},{"sku":"MS-2","qty":2,"note":null}],"customer":{"name":"Zoë Smith","vip":true}}`

func sampleRun() msgs.RunView {
	start := time.Date(2026, 3, 14, 2, 1, 2, 123e6, time.UTC)
	return msgs.RunView{
		Run: history.Run{ID: 12, FlowName: "order-flow", Name: "run-1", Backend: "local",
			Status: fnf.StatusSucceeded, RequestID: "4E3F-0001", HTTPStatus: 200,
			Input:       `{"orderId":"A-1"}`,
			Output:      sampleOutput,
			StartedTime: start, StoppedTime: start.Add(132 * time.Millisecond),
			ClientStart: start.Add(-20 * time.Millisecond), Latency: 180 * time.Millisecond,
		},
		Steps: []fnf.Step{
			{State: "CheckStock", Type: "Task", Attempt: 0, Start: start, Duration: 1200 * time.Microsecond,
				Input: `{"orderId":"A-1"}`, Output: `{"inStock":true}`},
			{State: "ChargeCard", Type: "Task", Attempt: 1, Start: start.Add(2 * time.Millisecond), Duration: 31 * time.Millisecond,
				Input: `{"orderId":"A-1","amount":42.5}`, Output: `{"charged":true,"receipt":"R-77"}`},
			{State: "Done", Type: "Succeed", Attempt: 0, Start: start.Add(40 * time.Millisecond), Duration: 80 * time.Microsecond,
				Input: `{"charged":true}`, Output: `{"charged":true}`},
		},
	}
}

// running returns a model that shows run (as the answer to run 1).
func showing(tb testing.TB, m Model, run msgs.RunView) Model {
	tb.Helper()
	m, _ = send(tb, m, msgs.RunStarted{ID: 1, Flow: run.FlowName, Started: clock.Add(-200 * time.Millisecond)})
	m, _ = send(tb, m, msgs.RunFinished{ID: 1, View: run})
	return m
}

func plainView(m Model) string { return ansi.Strip(m.View()) }

func checkSize(tb testing.TB, view string, w, h int) {
	tb.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		tb.Fatalf("view has %d lines, want %d:\n%s", len(lines), h, view)
	}
	for i, l := range lines {
		if got := ansi.StringWidth(l); got != w {
			tb.Fatalf("line %d is %d cells wide, want %d: %q", i, got, w, l)
		}
	}
}

// bigOutput is a compact JSON document of about n bytes.
func bigOutput(n int) string {
	var b strings.Builder
	b.WriteString(`{"orderId":"A-1","items":[`)
	for i := 0; b.Len() < n-200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"sku":"SKU-%06d","name":"item number %d with a longer description","price":%d.%02d,"inStock":%t,"tags":["a","b"],"meta":{"w":null,"h":%d}}`,
			i, i, i, i%500, i%100, i%3 == 0, i%17)
	}
	b.WriteString(`],"status":"paid"}`)
	return b.String()
}
