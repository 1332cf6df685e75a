package result

import (
	"errors"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/uitest"
)

// TestEveryTabEscapesHostileText renders every tab, in every state that
// shows text from outside, with every field holding escape sequences, C1
// controls, bidi overrides and zero-width characters: none may reach the
// terminal raw.
func TestEveryTabEscapesHostileText(t *testing.T) {
	const h = uitest.Hostile
	jsonH := `{"` + h + `":"` + h + `","n":1}`
	// Hostile text as it arrives inside valid JSON: escaped, or raw where
	// JSON allows it (DEL, C1, bidi, zero-width).
	jsonEsc := `\u001b]0;pwned\u0007` + "\x7f\u009b\u202e\u200b" + `\u2066`
	hostileRun := func() msgs.RunView {
		run := sampleRun()
		run.FlowName, run.Name, run.Backend, run.RequestID = h, h, h, h
		run.Status, run.ErrorCode, run.ErrorMessage = fnf.StatusFailed, h, h
		run.Output = jsonH
		for i := range run.Steps {
			run.Steps[i].State, run.Steps[i].Type = h, h
			run.Steps[i].Input, run.Steps[i].Output, run.Steps[i].Error = jsonH, h, h
		}
		return run
	}
	runs := map[string]msgs.RunView{
		"flow error": hostileRun(),
		"text output": func() msgs.RunView {
			r := hostileRun()
			r.Status, r.ErrorCode, r.Output = fnf.StatusSucceeded, "", h
			return r
		}(),
		"service error": func() msgs.RunView {
			r := hostileRun()
			r.Err = &fnf.APIError{HTTPStatus: 400, Code: h, Message: h, RequestID: h, Recommend: h,
				Action: h, FlowName: h, Region: h}
			return r
		}(),
		"no answer": func() msgs.RunView {
			r := hostileRun()
			r.Err = errors.New(h)
			return r
		}(),
		"HTTP code": func() msgs.RunView {
			r := hostileRun()
			r.ErrorCode = "HTTP." + h
			return r
		}(),
	}
	jsonDiff, err := render.DiffOutputs([]byte(`{"`+jsonEsc+`":"`+jsonEsc+`","n":1,"x":[]}`), []byte(`{"n":2,"`+jsonEsc+`":"x","`+jsonEsc+`2":1}`))
	if err != nil || jsonDiff.Text {
		t.Fatal(err, jsonDiff.Text)
	}
	textDiff, _ := render.DiffOutputs([]byte(h+"\na"), []byte(h+"\nb"))
	for name, run := range runs {
		for _, w := range []int{84, 120} {
			m := showing(t, newTestModel(t, w, 30), run)
			check := func(what string) {
				t.Helper()
				uitest.CheckTerminalSafe(t, name+": "+what, m.View())
			}
			for _, k := range []string{"1", "2", "3", "4"} {
				m, _ = press(t, m, k)
				check("tab " + k)
			}
			m, _ = press(t, m, "enter", "down", "enter")
			check("trace steps opened")
			m, _ = press(t, m, "1", "/")
			m, _ = send(t, m, tea.PasteMsg{Content: h})
			check("search typed")
			m, _ = press(t, m, "enter")
			check("search applied")
			m, _ = press(t, m, "esc", "|")
			m, _ = send(t, m, tea.PasteMsg{Content: "." + h})
			m, _ = press(t, m, "enter")
			check("jq error")
			for _, f := range []fnf.Flow{
				{Name: h, Definition: "Name: " + h + "\nStates: []\n"},
				{Name: h, Definition: `{"Name":"` + h + `"}`, Error: h},
				{Name: h, Error: h},
			} {
				m, _ = send(t, m, msgs.FlowSelected{Flow: f})
				m, _ = press(t, m, "5")
				check("definition")
			}
			m, _ = send(t, m, msgs.FlowDescribed{Flow: fnf.Flow{Name: h}, Err: errors.New(h)})
			check("definition error")
			for _, d := range []msgs.DiffReady{
				{Title: h, Lines: jsonDiff.Lines},
				{Title: h, Lines: textDiff.Lines, Text: true},
				{Title: h, Err: errors.New(h)},
			} {
				m, _ = send(t, m, d)
				check("diff")
			}
			m, _ = send(t, m, msgs.RunOpened{Err: errors.New(h)})
			m, _ = send(t, m, msgs.RunStarted{ID: 7, Flow: h})
			check("running")
		}
	}
}
