package result

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
)

func TestSearchFindsAndCountsMatches(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "/")
	if !m.Capturing() {
		t.Fatal("not capturing while typing a search")
	}
	m = typeText(t, m, "sku")
	if v := plainView(m); !strings.Contains(v, "/sku 1/2") {
		t.Fatalf("footer does not count the matches:\n%s", v)
	}
	m, _ = press(t, m, "enter")
	if m.Capturing() {
		t.Fatal("still capturing after enter")
	}
	m, _ = press(t, m, "n")
	if v := plainView(m); !strings.Contains(v, "/sku 2/2") {
		t.Fatalf("n did not move to the second match:\n%s", v)
	}
	m, _ = press(t, m, "N")
	if v := plainView(m); !strings.Contains(v, "/sku 1/2") {
		t.Fatalf("N did not move back:\n%s", v)
	}
	if v := m.View(); !strings.Contains(v, m.common.Styles.Match.Render("sku")) {
		t.Fatalf("matches not highlighted:\n%q", v)
	}
	m, _ = press(t, m, "esc")
	if v := plainView(m); strings.Contains(v, "/sku") || strings.Contains(m.View(), m.common.Styles.Match.Render("sku")) {
		t.Fatalf("esc did not clear the search:\n%s", v)
	}
}

func TestSearchIgnoresCaseUnlessItHasCapitals(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "/")
	m = typeText(t, m, "zoë")
	if v := plainView(m); !strings.Contains(v, "/zoë 1/1") {
		t.Fatalf("lower-case search missed Zoë:\n%s", v)
	}
	m, _ = press(t, m, "backspace", "backspace", "backspace", "Z", "O")
	if v := plainView(m); !strings.Contains(v, "/ZO no match") {
		t.Fatalf("capitals should match case:\n%s", v)
	}
	m, _ = press(t, m, "esc")
	if m.Capturing() || m.pager().query != "" {
		t.Fatal("esc while typing should drop the search")
	}
}

func TestJQFilterReplacesTheOutput(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "|")
	m = typeText(t, m, ".items | length")
	m, _ = press(t, m, "enter")
	v := plainView(m)
	if !strings.Contains(v, "│2 ") || strings.Contains(v, "orderId") || !strings.Contains(v, "jq .items | length · esc clears") {
		t.Fatalf("jq result not shown:\n%s", v)
	}
	m, out := press(t, m, "y")
	if got := clipboardText(t, out); got != "2" {
		t.Errorf("y with a filter copied %q, want the jq result", got)
	}
	m, _ = press(t, m, "esc")
	if v := plainView(m); !strings.Contains(v, "orderId") || strings.Contains(v, "jq ") {
		t.Fatalf("esc did not clear the filter:\n%s", v)
	}
}

func TestJQInvalidFilterShowsItsError(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "f")
	m = typeText(t, m, ".items |")
	m, _ = press(t, m, "enter")
	if v := plainView(m); !strings.Contains(v, "jq: unexpected EOF") {
		t.Fatalf("jq error not shown in place:\n%s", v)
	}
	run := sampleRun()
	run.Output = "plain text"
	m = showing(t, m, run)
	m, _ = press(t, m, "|")
	m = typeText(t, m, ".")
	m, _ = press(t, m, "enter")
	if v := plainView(m); !strings.Contains(v, "jq: the output is not JSON") {
		t.Fatalf("jq over text:\n%s", v)
	}
}

func clipboardText(t *testing.T, out []tea.Msg) string {
	t.Helper()
	for _, msg := range out {
		if v := reflect.ValueOf(msg); v.Kind() == reflect.String && v.Type().Name() == "setClipboardMsg" {
			return v.String()
		}
	}
	t.Fatalf("no clipboard command in %#v", out)
	return ""
}

func TestCopyPutsTheRawOutputOnTheClipboard(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	_, out := press(t, m, "y")
	if got := clipboardText(t, out); got != sampleOutput {
		t.Errorf("copied %q, want the raw output", got)
	}
	var status msgs.Status
	for _, msg := range out {
		if s, ok := msg.(msgs.Status); ok {
			status = s
		}
	}
	if status.Text != "copied 171 B (output)" || status.Err {
		t.Errorf("status %+v", status)
	}
}

func TestErrorTabExplainsAnAPIError(t *testing.T) {
	m := newTestModel(t, 200, 40)
	apiErr := &fnf.APIError{HTTPStatus: 404, Code: fnf.CodeFlowNotExists, Message: "flow nope does not exist",
		RequestID: "REQ-9", Action: "StartSyncExecution", FlowName: "nope", Region: "cn-hangzhou"}
	m = showing(t, m, msgs.RunView{Run: history.Run{FlowName: "nope", Status: "Error", Latency: 45 * time.Millisecond}, Err: apiErr})
	if m.tab != tabError {
		t.Fatalf("a failed call should bring the Error tab forward; tab %v", m.tab)
	}
	v := plainView(m)
	e := apiErr.Explain()
	for _, want := range []string{"FlowNotExists", "flow nope does not exist", "REQ-9", "404", "What it means", e.Meaning, "What to do", e.Fix, "Result · Error · 45 ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("Error tab lacks %q:\n%s", want, v)
		}
	}
}

// TestErrorTabNamesWhoseErrorItIs checks the table of error codes row by
// row: each engine-raised code is put in its category with its own advice.
// The limits are the service's: 64 KiB per state's input or output and
// 5,000 events per execution
// (https://help.aliyun.com/en/document_detail/122093.html); FnF.Timeout is
// the service's timeout error, which Retry and Catch can name
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/error-handling).
func TestErrorTabNamesWhoseErrorItIs(t *testing.T) {
	rows := []struct {
		code   string
		status fnf.Status
		kind   errorKind
		says   string // a phrase of the advice shown
	}{
		{"FnF.Timeout", fnf.StatusFailed, kindLimit, "5-minute limit of an Express execution"},
		{"", fnf.StatusTimedOut, kindLimit, "5-minute limit of an Express execution"},
		{"FnF.DataLimitExceeded", fnf.StatusFailed, kindLimit, "passed 64 KiB"},
		{"FnF.EventLimitExceeded", fnf.StatusFailed, kindLimit, "5,000 events"},
		{"FnF.ExpressionError", fnf.StatusFailed, kindDefinition, "An expression failed"},
		{"FnF.NoChoiceMatched", fnf.StatusFailed, kindDefinition, "no Default"},
		{"FnF.TaskFailed", fnf.StatusFailed, kindTask, "could not make its call"},
		{"HTTP.503", fnf.StatusFailed, kindTask, "answered with status 503"},
		{"flowtui.TaskNotMocked", fnf.StatusFailed, kindSetup, "--mocks"},
		{"FnF.Cancelled", fnf.StatusFailed, kindStopped, "stopped before it ended"},
		{"OrderRejected", fnf.StatusFailed, kindFlow, "a Fail state"},
		// A Stopped execution was stopped, whatever its code: never the flow's own error.
		{"flowtui.StoppedByUser", fnf.StatusStopped, kindStopped, "from this TUI"},
		{"OrderRejected", fnf.StatusStopped, kindStopped, "StopExecution"},
	}
	covered := map[string]bool{}
	for _, r := range rows {
		t.Run(r.code+string(r.status), func(t *testing.T) {
			m := newTestModel(t, 200, 40)
			run := sampleRun()
			run.Status, run.ErrorCode, run.ErrorMessage, run.Output = r.status, r.code, "state ChargeCard: it went wrong", ""
			m = showing(t, m, run)
			v := plainView(m)
			for _, want := range []string{" · " + r.kind.String(), r.kind.intro(), r.says, "state ChargeCard: it went wrong"} {
				if !strings.Contains(v, want) {
					t.Errorf("Error tab lacks %q:\n%s", want, v)
				}
			}
		})
		covered[r.code] = true
	}
	for code := range runErrors {
		if !covered[strings.Replace(code, "<status>", "503", 1)] {
			t.Errorf("code %s has no row in this test", code)
		}
	}
	m := showing(t, newTestModel(t, 200, 40), sampleRun())
	m, _ = press(t, m, "2")
	if v := plainView(m); !strings.Contains(v, "no error") {
		t.Errorf("a successful run's Error tab:\n%s", v)
	}
}

func TestTimingTabShowsServerAndClientTimes(t *testing.T) {
	m := showing(t, newTestModel(t, 120, 24), sampleRun())
	m, _ = press(t, m, "3")
	v := plainView(m)
	for _, want := range []string{"server started   2026-03-14 10:01:02.123 CST", "02:01:02.123 UTC", "server duration  132 ms", "client latency   180 ms", "overhead         48 ms"} {
		if !strings.Contains(v, want) {
			t.Errorf("Timing tab lacks %q:\n%s", want, v)
		}
	}
	m = showing(t, m, msgs.RunView{Run: history.Run{Status: "Error"}, Err: errors.New("dial tcp: refused")})
	m, _ = press(t, m, "3")
	if v := plainView(m); !strings.Contains(v, "server started   n/a") || !strings.Contains(v, "overhead         n/a") {
		t.Errorf("unknown times should read n/a:\n%s", v)
	}
}

func TestTraceOpensAStep(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "4")
	v := plainView(m)
	if !strings.Contains(v, "ChargeCard  Task       +2.0 ms     31 ms    2  succeeded") || !strings.Contains(v, `{"charged":true,"re`) {
		t.Fatalf("trace table:\n%s", v)
	}
	m, _ = press(t, m, "down", "enter")
	v = plainView(m)
	if !strings.Contains(v, `"amount": 42.5`) || !strings.Contains(v, `"receipt": "R-77"`) || !strings.Contains(v, "ChargeCard · Task · try 2 · succeeded") {
		t.Fatalf("step 2 not opened:\n%s", v)
	}
	_, out := press(t, m, "y")
	if got := clipboardText(t, out); got != `{"charged":true,"receipt":"R-77"}` {
		t.Errorf("y in Trace copied %q", got)
	}
	m, _ = press(t, m, "enter")
	if v := plainView(m); strings.Contains(v, `"amount": 42.5`) || !strings.Contains(v, "›   ChargeCard") {
		t.Fatalf("enter did not close the step, back on its row:\n%s", v)
	}
	run := sampleRun()
	run.Steps, run.Backend = nil, fnf.KindCloud
	m = showing(t, m, run)
	m, _ = press(t, m, "4")
	if !strings.Contains(plainView(m), "no trace: the cloud does not report per-state steps") {
		t.Fatalf("empty trace:\n%s", plainView(m))
	}
}

const sampleYAML = "Type: StateMachine\nSpecVersion: v1\nName: order-flow # demo\nStartAt: Check\nStates:\n  - Type: Pass\n    Name: Check\n    Result: {ok: true}\n    End: true\n"

func TestDefinitionHighlightsWithLineNumbers(t *testing.T) {
	m := newTestModel(t, 84, 24)
	m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow", Definition: sampleYAML}})
	m, _ = press(t, m, "5")
	v := plainView(m)
	if !strings.Contains(v, "1 │ Type: StateMachine") || !strings.Contains(v, "9 │     End: true") || !strings.Contains(v, "YAML · 9 lines") {
		t.Fatalf("definition:\n%s", v)
	}
	if !strings.Contains(m.View(), m.common.Styles.JSONKey.Render("StartAt")) {
		t.Error("YAML keys not highlighted")
	}
	m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "gone"}})
	m, _ = send(t, m, msgs.FlowDescribed{Flow: fnf.Flow{Name: "gone"}, Err: errors.New("FlowNotExists")})
	if v := plainView(m); !strings.Contains(v, "could not describe flow gone: FlowNotExists") {
		t.Fatalf("describe error:\n%s", v)
	}
}

func diffOf(t *testing.T, m Model, a, b string) Model {
	t.Helper()
	d, err := render.DiffOutputs([]byte(a), []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	d.Title = "run 12 ↔ run 10 (pinned)"
	m, _ = send(t, m, d)
	return m
}

func TestDiffIsSideBySideWhenWideAndUnifiedWhenNarrow(t *testing.T) {
	m := diffOf(t, showing(t, newTestModel(t, 120, 20), sampleRun()),
		`{"orderId":"A-1001","status":"paid","items":[{"sku":"A","price":1},{"sku":"B","price":2}]}`,
		"{\n  \"items\": [{\"price\": 1, \"sku\": \"A\"}, {\"price\": 2.5, \"sku\": \"B\"}],\n  \"orderId\": \"A-1001\",\n  \"status\": \"shipped\",\n  \"coupon\": \"X\"\n}")
	if m.tab != tabDiff {
		t.Fatalf("a diff should come forward; tab %v", m.tab)
	}
	v := plainView(m)
	for _, want := range []string{`~ $.items[1].price: 2`, `│ ~ $.items[1].price: 2.5`, `│ + $.coupon: "X"`,
		`~ $.status: "paid"`, `│ ~ $.status: "shipped"`, "… 2 unchanged", "~2 +1 −0", "by JSON path"} {
		if !strings.Contains(v, want) {
			t.Errorf("side by side lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "orderId") {
		t.Errorf("the unchanged orderId is shown as a change:\n%s", v)
	}
	m.SetSize(84, 20)
	v = plainView(m)
	for _, want := range []string{`│~ $.items[1].price: 2 → 2.5`, `│~ $.status: "paid" → "shipped"`, `│+ $.coupon: "X"`, "│  … 2 unchanged"} {
		if !strings.Contains(v, want) {
			t.Errorf("unified lacks %q:\n%s", want, v)
		}
	}
	_, out := press(t, m, "y")
	if got := clipboardText(t, out); !strings.Contains(got, "~ $.status: \"paid\" → \"shipped\"\n") {
		t.Errorf("y copied %q", got)
	}
	m, _ = press(t, m, "esc")
	if m.tab != tabOutput || strings.Contains(plainView(m), " Diff ") {
		t.Fatal("esc did not close the diff")
	}
}

func TestDiffOfTextSaysSo(t *testing.T) {
	m := diffOf(t, showing(t, newTestModel(t, 84, 20), sampleRun()), "line 1\nline 2", "line 1\nline two")
	v := plainView(m)
	for _, want := range []string{"not JSON: compared as text", "- line 2", "+ line two", "+1 −1"} {
		if !strings.Contains(v, want) {
			t.Errorf("text diff lacks %q:\n%s", want, v)
		}
	}
}

func TestTraceCursorScrollsIntoView(t *testing.T) {
	run := sampleRun()
	run.Steps = nil
	for i := range 100 {
		run.Steps = append(run.Steps, fnf.Step{State: fmt.Sprintf("Item%03d", i), Type: "Pass", Output: "{}"})
	}
	m := showing(t, newTestModel(t, 84, 24), run)
	m, _ = press(t, m, "4", "end")
	if v := plainView(m); !strings.Contains(v, "›   Item099") || !strings.Contains(v, "row 100/100") {
		t.Fatalf("end did not bring the last step into view:\n%s", v)
	}
	m, _ = press(t, m, "up", "up")
	if v := plainView(m); !strings.Contains(v, "›   Item097") || !strings.Contains(v, "    Item099") {
		t.Fatalf("cursor did not move up:\n%s", v)
	}
}

func TestDefinitionInJSONIsPrettyPrinted(t *testing.T) {
	m := newTestModel(t, 84, 24)
	def := `{"Type":"StateMachine","StartAt":"A","States":[{"Name":"A","Type":"Pass","End":true}]}`
	m, _ = send(t, m, msgs.FlowDescribed{Flow: fnf.Flow{Name: "json-flow", Definition: def}})
	m, _ = press(t, m, "5")
	v := plainView(m)
	if !strings.Contains(v, ` 2 │   "Type": "StateMachine",`) || !strings.Contains(v, "JSON · 11 lines") {
		t.Fatalf("JSON definition:\n%s", v)
	}
	m, _ = press(t, m, "/")
	m = typeText(t, m, "pass")
	if v := plainView(m); !strings.Contains(v, "/pass 1/1") {
		t.Fatalf("search in the definition:\n%s", v)
	}
}

func TestTabsAreNumberedAfterTheirKeys(t *testing.T) {
	m := showing(t, newTestModel(t, 120, 24), sampleRun())
	m, _ = send(t, m, msgs.DiffReady{Title: "run 12 ↔ run 10"})
	bar := strings.Split(plainView(m), "\n")[1]
	for _, want := range []string{"1 Output", "2 Error", "3 Timing", "4 Trace", "5 Definition", "6 Diff"} {
		if !strings.Contains(bar, want) {
			t.Errorf("tab bar %q lacks %q", bar, want)
		}
	}
	m, _ = press(t, m, "3")
	if m.tab != tabTiming {
		t.Errorf("3 selects %v, want the Timing tab", m.tab)
	}
	// Remapped, the tab shows its new key; narrow, the other tabs show only theirs.
	m.KeyMap().Timing.SetKeys("t")
	m.KeyMap().Timing.SetHelp("t", "timing")
	m.SetSize(40, 24)
	bar = strings.Split(plainView(m), "\n")[1]
	if !strings.Contains(bar, "t Timing") || !strings.Contains(bar, " 1 ") || strings.Contains(bar, "Output") {
		t.Errorf("narrow tab bar %q", bar)
	}
}

func TestNewSearchStartsAfresh(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	m, _ = press(t, m, "/")
	m = typeText(t, m, "sku")
	m, _ = press(t, m, "enter", "/")
	if got := m.find.input.Value(); got != "" {
		t.Fatalf("a new / starts with %q typed, want nothing", got)
	}
	m = typeText(t, m, "paid")
	if v := plainView(m); !strings.Contains(v, "/paid 1/1") {
		t.Fatalf("the new search is not on its own:\n%s", v)
	}
}

func TestCurrentMatchLooksDifferent(t *testing.T) {
	m := showing(t, newTestModel(t, 84, 24), sampleRun())
	st := m.common.Styles
	open := func(s lipgloss.Style) string { o, _, _ := strings.Cut(s.Render("\uE000"), "\uE000"); return o }
	cur, other := open(st.CurrentMatch), open(st.Match)
	if cur == other {
		t.Fatal("the theme styles the current match as the others")
	}
	m, _ = press(t, m, "/")
	m = typeText(t, m, "sku")
	m, _ = press(t, m, "enter")
	line := func(m Model) int {
		for i, l := range strings.Split(m.View(), "\n") {
			if strings.Contains(l, cur) {
				return i
			}
		}
		return -1
	}
	first := line(m)
	if first < 0 || strings.Count(m.View(), cur) != 1 {
		t.Fatalf("the current match is not marked once:\n%q", m.View())
	}
	m, _ = press(t, m, "n")
	if second := line(m); second <= first || strings.Count(m.View(), cur) != 1 {
		t.Fatalf("n did not move the mark (line %d, then %d)", first, second)
	}
}

// When the run's flow is not at hand (not listed, never described), the
// Definition tab shows the selected flow's and says plainly that it is not
// the run's; once the run's flow is described, it shows that one.
func TestDefinitionTabSaysWhenItShowsAnotherFlowThanTheRuns(t *testing.T) {
	m := newTestModel(t, 120, 24)
	m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "other-flow", Definition: strings.ReplaceAll(sampleYAML, "order-flow", "other-flow")}})
	m = showing(t, m, sampleRun()) // a run of order-flow
	m, _ = press(t, m, "5")
	v := plainView(m)
	if !strings.Contains(v, "the definition of other-flow, the flow selected; the run shown is of order-flow") {
		t.Fatalf("no word that the definition is another flow's:\n%s", v)
	}
	m, _ = send(t, m, msgs.FlowsLoaded{Flows: []fnf.Flow{{Name: "order-flow", Definition: sampleYAML}}})
	v = plainView(m)
	if strings.Contains(v, "the run shown is of") || !strings.Contains(v, "Name: order-flow") || !strings.Contains(v, "order-flow · YAML") {
		t.Fatalf("the run's flow is listed, its definition not shown:\n%s", v)
	}
}

// A recorded trace that cannot be read is said to be so, with why, rather
// than shown as a run without a trace.
func TestTraceThatDoesNotDecodeIsSaid(t *testing.T) {
	run := sampleRun()
	run.Steps, run.TraceErr = nil, errors.New("run 12: the stored trace (9 bytes) is not a list of steps: invalid character")
	m := showing(t, newTestModel(t, 120, 24), run)
	m, _ = press(t, m, "4")
	v := plainView(m)
	if !strings.Contains(v, "the recorded trace could not be read: run 12: the stored trace (9 bytes) is not a list") ||
		strings.Contains(v, "no trace was recorded") {
		t.Fatalf("trace tab:\n%s", v)
	}
}

// Scrolling a tab with nothing in it does nothing: before any run, on the
// Error tab of a run without an error, while a run is in flight.
func TestMovingInAnEmptyTabDoesNotCrash(t *testing.T) {
	moves := []string{"j", "down", "k", "up", "pgdown", "pgup", "ctrl+d", "ctrl+u", "g", "G", "home", "end", "n", "N"}
	states := map[string]func() Model{
		"no run": func() Model { return newTestModel(t, 84, 24) },
		"error tab of a success": func() Model {
			m := showing(t, newTestModel(t, 84, 24), sampleRun())
			m, _ = send(t, m, keyMsg("2"))
			return m
		},
		"run in flight": func() Model {
			m, _ := send(t, newTestModel(t, 84, 24), msgs.RunStarted{ID: 1, Flow: "order-flow"})
			return m
		},
	}
	for name, state := range states {
		for _, k := range moves {
			m := state()
			m.Focus()
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s: %s panicked: %v", name, k, r)
					}
				}()
				m, _ = send(t, m, keyMsg(k))
				_ = m.View()
			}()
		}
	}
}
