package result

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
)

// goldenStates are the views kept as golden files: each tab with the sample
// run, and the states around a run.
var goldenStates = []struct {
	name  string
	setup func(t *testing.T, m Model) Model
}{
	{"empty", func(t *testing.T, m Model) Model { return m }},
	{"running", func(t *testing.T, m Model) Model {
		m, _ = m.Update(msgs.RunStarted{ID: 4, Flow: "order-flow", Started: clock.Add(-3200 * time.Millisecond)})
		return m
	}},
	{"cancelled", func(t *testing.T, m Model) Model {
		m, _ = m.Update(msgs.RunStarted{ID: 4, Flow: "order-flow", Started: clock.Add(-3200 * time.Millisecond)})
		m, _ = send(t, m, msgs.RunCancelled{ID: 4})
		return m
	}},
	{"output", func(t *testing.T, m Model) Model { return m }},
	{"output-search", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "/")
		return typeText(t, m, "sku")
	}},
	{"output-jq", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "|")
		m = typeText(t, m, "[.items[].sku]")
		m, _ = press(t, m, "enter")
		return m
	}},
	{"error-api", func(t *testing.T, m Model) Model {
		return showing(t, m, msgs.RunView{Run: history.Run{FlowName: "nope", Status: "Error", Latency: 45 * time.Millisecond},
			Err: &fnf.APIError{HTTPStatus: 404, Code: fnf.CodeFlowNotExists, Message: "flow nope does not exist",
				RequestID: "7A1C-REQ", Action: "StartSyncExecution", FlowName: "nope", Region: "cn-hangzhou"}})
	}},
	{"error-flow", func(t *testing.T, m Model) Model {
		run := sampleRun()
		run.Status, run.ErrorCode, run.ErrorMessage, run.Output = fnf.StatusFailed, "FnF.Timeout", "state ChargeCard timed out after 10s", ""
		return showing(t, m, run)
	}},
	{"timing", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "3")
		return m
	}},
	{"trace", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "4", "down", "enter")
		return m
	}},
	{"definition", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "5")
		return m
	}},
	{"diff", func(t *testing.T, m Model) Model {
		other := `{"orderId":"A-1","status":"shipped","total":42.5,"items":[{"sku":"KB-1","qty":1,"gift":false},{"sku":"MS-2","qty":3,"note":null}],"customer":{"vip":true,"name":"Zoë Smith"}}`
		d, err := render.DiffOutputs([]byte(sampleOutput), []byte(other))
		if err != nil {
			t.Fatal(err)
		}
		d.Title = "run 12 ↔ run 10 (pinned)"
		m, _ = send(t, m, d)
		return m
	}},
}

func TestViewGolden(t *testing.T) {
	for _, size := range [][2]int{{56, 14}, {84, 24}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			for _, s := range goldenStates {
				t.Run(s.name, func(t *testing.T) {
					m := newTestModel(t, size[0], size[1])
					m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow", Definition: sampleYAML}})
					if s.name != "empty" && s.name != "running" && s.name != "cancelled" {
						m = showing(t, m, sampleRun())
					}
					m = s.setup(t, m)
					v := plainView(m)
					checkSize(t, v, size[0], size[1])
					golden.RequireEqual(t, v)
				})
			}
		})
	}
}

// TestViewGoldenANSI keeps the colours of the output tab (dark theme).
func TestViewGoldenANSI(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	golden.RequireEqual(t, m.View())
}
