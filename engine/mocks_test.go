package engine

import (
	"context"
	"strings"
	"testing"
)

func TestMockFileProblemsCarryTheirPosition(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		msg       string
	}{
		{"undefined response", "Flows:\n  f:\n    TestCases:\n      Happy: { Charge: Missing }\nMockedResponses: {}\n",
			4, 24, `state "Charge" uses "Missing", which MockedResponses does not define`},
		{"bad attempt key", "MockedResponses:\n  R:\n    \"first\": { Return: 1 }\n",
			3, 14, `attempt key "first" is not a number or a range`},
		{"reversed range", "MockedResponses:\n  R:\n    \"3-1\": { Return: 1 }\n",
			3, 12, `attempt key "3-1"`},
		{"both Return and Throw", "MockedResponses:\n  R:\n    \"0\": { Return: 1, Throw: { Code: X } }\n",
			3, 10, "give one of Return"},
		{"neither Return nor Throw", "MockedResponses:\n  R:\n    \"0\": { Value: 1 }\n",
			3, 10, "give one of Return"},
		{"overlapping ranges", "MockedResponses:\n  R:\n    \"0-2\": { Return: 1 }\n    \"2\": { Return: 2 }\n",
			3, 5, "overlap"},
		{"Throw without Code", "MockedResponses:\n  R:\n    \"0\": { Throw: { Detail: d } }\n",
			3, 19, "Throw needs a Code"},
		{"flow without TestCases", "Flows:\n  f: { Cases: {} }\n",
			2, 6, `flow "f" has no TestCases`},
		{"invalid YAML", "Flows:\n  f: [\n",
			2, 1, "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseMocks("mocks.yaml", []byte(tt.src))
			ps := problems(t, err)
			for _, p := range ps {
				if p.Pos == (Pos{tt.line, tt.col}) && strings.Contains(p.Msg, tt.msg) {
					return
				}
			}
			t.Errorf("got:\n%v\nwant a problem at %d:%d saying %q", err, tt.line, tt.col, tt.msg)
		})
	}
}

func TestAnEmptyMockFileHasNoTestCases(t *testing.T) {
	m := mustMocks(t, "# nothing yet\n")
	if got := m.TestCases("any"); len(got) != 0 {
		t.Errorf("TestCases = %v; want none", got)
	}
}

func TestMockAttemptsPastTheLastKeyTakeTheLastResponse(t *testing.T) {
	r := &mockResponse{attempts: []mockAttempt{{from: 0, to: 1, ret: "a"}, {from: 3, to: 3, ret: "b"}}}
	for attempt, want := range map[int]any{0: "a", 1: "a", 3: "b", 4: "b", 9: "b"} {
		if got := r.response(attempt); got == nil || got.ret != want {
			t.Errorf("attempt %d: %v; want %v", attempt, got, want)
		}
	}
	if got := r.response(2); got != nil {
		t.Errorf("attempt 2 (a gap): %v; want no mock", got)
	}
}

func TestTheDefaultTestCaseAppliesWhenNoneIsChosen(t *testing.T) {
	m := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Call: Plain }
      Other: { Call: Fancy }
MockedResponses:
  Plain: { "0": { Return: { kind: plain } } }
  Fancy: { "0": { Return: { kind: fancy, when: 2024-05-01 } } }
`)
	src := flow("Call", "- Type: Task\n  Name: Call\n  Action: ECS:DescribeInstances\n  End: true")
	wantOutput(t, run(t, &Runner{Mocks: m}, src, `{}`), `{"kind":"plain"}`)
	wantOutput(t, runCase(t, &Runner{Mocks: m}, src, `{}`, "Other"), `{"kind":"fancy","when":"2024-05-01"}`)
}

func TestATestCaseWithoutAMockFileIsASetUpError(t *testing.T) {
	def := mustParse(t, flow("P", "- Type: Pass\n  Name: P\n  End: true"))
	_, err := (&Runner{}).Run(context.Background(), def, RunRequest{Flow: "t", TestCase: "Happy"})
	if err == nil || !strings.Contains(err.Error(), "--mocks") {
		t.Errorf("Run = %v; want an error pointing at --mocks", err)
	}
	_, err = (&Runner{Mocks: mustMocks(t, "Flows: {}\n")}).Run(context.Background(), def, RunRequest{Flow: "t", TestCase: "Happy"})
	if err == nil || !strings.Contains(err.Error(), `no test cases for flow "t"`) {
		t.Errorf("Run = %v; want an error saying the flow has no test cases", err)
	}
}

func TestRunRefusesInputThatIsNotAJSONObject(t *testing.T) {
	def := mustParse(t, flow("P", "- Type: Pass\n  Name: P\n  End: true"))
	for _, in := range []string{`[1]`, `"s"`, `{"a":`, `null`} {
		if _, err := (&Runner{}).Run(context.Background(), def, RunRequest{Input: in}); err == nil {
			t.Errorf("Run(input %s) succeeded; want an input error", in)
		}
	}
}
