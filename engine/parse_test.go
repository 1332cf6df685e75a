package engine

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/engine/expression"
)

// States written by flow() start on line 6, their mapping at column 5.

func manyBranches(n int) string {
	var b strings.Builder
	b.WriteString("- Type: Parallel\n  Name: Wide\n  End: true\n  Branches:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - StartAt: B%d\n      States:\n        - Type: Pass\n          Name: B%d\n          End: true\n", i, i)
	}
	return b.String()
}

func TestDefinitionProblemsNameTheFileLineColumnAndState(t *testing.T) {
	tests := []struct {
		name        string
		src         string
		line, col   int
		state       string
		msgIncludes []string
	}{
		{"unknown state type lists the types", flow("A", "- Type: Pas\n  Name: A\n  End: true"),
			6, 11, "A", []string{`"Pas"`, "Pass, Task, Choice, Parallel, Map, Wait, Succeed, Fail"}},
		{"missing Next and End", flow("A", "- Type: Pass\n  Name: A"),
			6, 5, "A", []string{"neither Next nor End"}},
		{"both Next and End", flow("A", "- Type: Pass\n  Name: A\n  Next: B\n  End: true\n- Type: Pass\n  Name: B\n  End: true"),
			6, 5, "A", []string{"both Next and End"}},
		{"Next names an undefined state", flow("A", "- Type: Pass\n  Name: A\n  Next: Nowhere\n- Type: Pass\n  Name: Zed\n  End: true"),
			6, 5, "A", []string{`"Nowhere"`, "(states: A, Zed)"}},
		{"unreachable state", flow("A", "- Type: Pass\n  Name: A\n  End: true\n- Type: Pass\n  Name: Lost\n  End: true"),
			9, 5, "Lost", []string{"never reached"}},
		{"duplicate names", flow("A", "- Type: Pass\n  Name: A\n  End: true\n- Type: Pass\n  Name: A\n  End: true"),
			9, 5, "A", []string{"already used by the state at line 6"}},
		{"Choice with Next", flow("C", "- Type: Choice\n  Name: C\n  Next: P\n  Branches:\n    - Condition: $Input.a\n      Next: P\n- Type: Pass\n  Name: P\n  End: true"),
			6, 5, "C", []string{"a Choice has no Next or End"}},
		{"Retry on a Pass", flow("A", "- Type: Pass\n  Name: A\n  End: true\n  Retry:\n    - Errors: [FnF.ALL]"),
			9, 5, "A", []string{"Retry is allowed on Task, Parallel and Map"}},
		{"MaxConcurrency misspelling hint", flow("M", "- Type: Map\n  Name: M\n  End: true\n  ItemsPath: $Input.x\n  MaxConcurrency: 3\n  Processor:\n    StartAt: P\n    States:\n      - Type: Pass\n        Name: P\n        End: true"),
			10, 5, "M", []string{"MaxConcuccency"}},
		{"Parallel over 50 branches", flow("Wide", manyBranches(51)),
			10, 7, "Wide", []string{"51 branches", "50"}},
		{"Wait Seconds over 300", flow("W", "- Type: Wait\n  Name: W\n  Seconds: 301\n  End: true"),
			8, 14, "W", []string{"Seconds", "want a number from 1 to 300"}},
		{"Wait Seconds 0", flow("W", "- Type: Wait\n  Name: W\n  Seconds: 0\n  End: true"),
			8, 14, "W", []string{"Seconds", "want a number from 1 to 300"}},
		{"States as a mapping", "Type: StateMachine\nName: t\nStartAt: A\nStates:\n  A:\n    Type: Pass\n",
			5, 3, "", []string{"States must be a list"}},
		{"invalid YAML", "Type: StateMachine\nName: t\n  StartAt: A\n",
			3, 1, "", []string{"invalid YAML", "mapping values are not allowed"}},
		{"duplicate key", flow("A", "- Type: Pass\n  Name: A\n  End: true\n  End: false"),
			9, 5, "A", []string{`"End" is given twice (first at line 8)`}},
		{"empty StartAt", "Type: StateMachine\nStartAt: \"\"\nStates: []\n",
			2, 10, "", []string{"StartAt is empty"}},
		{"empty file", "\n# nothing here\n",
			1, 1, "", []string{"empty"}},
		{"not StateMachine", "Type: Flow\nName: t\nStartAt: A\nStates:\n  - Type: Pass\n    Name: A\n    End: true\n",
			1, 7, "", []string{"Type: StateMachine"}},
		{"legacy draft OnErrors", flow("A", "- Type: Task\n  Name: A\n  Action: ECS:DescribeInstances\n  End: true\n  OnErrors: []"),
			10, 5, "A", []string{"OnErrors", "Retry and Catch"}},
		{"Map Processor under the old name", flow("M", "- Type: Map\n  Name: M\n  End: true\n  ItemsPath: $Input.x\n  ItemProcessor: {}"),
			10, 5, "M", []string{"named Processor"}},
		{"Catch target in another scope", flow("P", "- Type: Parallel\n  Name: P\n  End: true\n  Branches:\n    - StartAt: T\n      States:\n        - Type: Task\n          Name: T\n          Action: ECS:DescribeInstances\n          End: true\n          Catch:\n            - Errors: [FnF.ALL]\n              Next: P"),
			12, 13, "T", []string{`"P"`, "not a state in this scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded; want a problem\n%s", tt.src)
			}
			ps := problems(t, err)
			var found *Problem
			for i, p := range ps {
				if p.File != "flow.yaml" || p.Pos.Line < 1 || p.Pos.Col < 1 {
					t.Errorf("problem %q has no file:line:col", p)
				}
				if p.Pos.Line == tt.line && p.Pos.Col == tt.col && p.State == tt.state {
					found = &ps[i]
				}
			}
			if found == nil {
				t.Fatalf("no problem at %d:%d for state %q; got:\n%v", tt.line, tt.col, tt.state, err)
			}
			for _, s := range tt.msgIncludes {
				if !strings.Contains(found.Msg, s) {
					t.Errorf("problem %q does not mention %q", found, s)
				}
			}
			prefix := fmt.Sprintf("flow.yaml:%d:%d: ", tt.line, tt.col)
			if !strings.Contains(err.Error(), prefix) {
				t.Errorf("error text %q does not carry %q", err, prefix)
			}
		})
	}
}

func TestExpressionErrorColumnPointsIntoTheExpression(t *testing.T) {
	const expr = `$Input.total >= 10 && nope($Input.x)`
	_, cerr := expression.Compile(expr)
	var ee *expression.Error
	if !errors.As(cerr, &ee) || ee.Column < 2 {
		t.Fatalf("Compile(%s) = %v; want an error with a column", expr, cerr)
	}
	for _, quoted := range []struct {
		text  string
		shift int
	}{{expr, 0}, {`"` + expr + `"`, 1}, {`'` + expr + `'`, 1}} {
		src := flow("C", "- Type: Choice\n  Name: C\n  Default: P\n  Branches:\n    - Condition: "+quoted.text+"\n      Next: P\n- Type: Pass\n  Name: P\n  End: true")
		_, err := Parse("flow.yaml", []byte(src))
		ps := problems(t, err)
		// Line 10 is "      - Condition: …"; the value starts at column 20.
		want := Pos{10, 20 + quoted.shift + ee.Column - 1}
		if len(ps) != 1 || ps[0].Pos != want || ps[0].State != "C" || !strings.Contains(ps[0].Msg, "nope") {
			t.Errorf("%s: problems %v; want one at %d:%d naming nope", quoted.text, ps, want.Line, want.Col)
		}
	}
}

func TestEveryProblemIsReportedInFileOrder(t *testing.T) {
	src := flow("A", `
- Type: Pass
  Name: A
  Next: Missing
- Type: Wait
  Name: B
  Seconds: 900
  End: true
- Type: Bogus
  Name: C`)
	ps := problems(t, func() error { _, err := Parse("flow.yaml", []byte(src)); return err }())
	if len(ps) < 4 {
		t.Fatalf("got %d problems; want at least 4 (undefined Next, Seconds, unreachable B, unknown type):\n%v", len(ps), ps)
	}
	for i := 1; i < len(ps); i++ {
		a, b := ps[i-1].Pos, ps[i].Pos
		if a.Line > b.Line || a.Line == b.Line && a.Col > b.Col {
			t.Errorf("problems out of order: %v before %v", ps[i-1], ps[i])
		}
	}
}

func TestExpressWaitOver20SecondsIsRefusedByCheckExpress(t *testing.T) {
	def := mustParse(t, flow("W", "- Type: Wait\n  Name: W\n  Seconds: 30\n  End: true"))
	err := def.CheckExpress("flow.yaml")
	ps := problems(t, err)
	if len(ps) != 1 || ps[0].Pos != (Pos{6, 5}) || ps[0].State != "W" || !strings.Contains(ps[0].Msg, "1–20") {
		t.Errorf("CheckExpress = %v; want one problem at 6:5 for W", err)
	}
	if err := mustParse(t, flow("W", "- Type: Wait\n  Name: W\n  Seconds: 20\n  End: true")).CheckExpress("f"); err != nil {
		t.Errorf("a 20 s Wait: %v; want no problem", err)
	}
}

func TestJSONDefinitionParsesAndRunsLikeYAML(t *testing.T) {
	yamlSrc := flow("R", `
- Type: Choice
  Name: R
  Branches:
    - Condition: $Input.n > 1
      Next: Big
  Default: Small
- Type: Pass
  Name: Big
  OutputConstructor: { size: big, n.$: $Input.n }
  End: true
- Type: Pass
  Name: Small
  End: true`)
	jsonSrc := `{"Type":"StateMachine","Name":"t","SpecVersion":"v1","StartAt":"R","States":[
  {"Type":"Choice","Name":"R","Branches":[{"Condition":"$Input.n > 1","Next":"Big"}],"Default":"Small"},
  {"Type":"Pass","Name":"Big","OutputConstructor":{"size":"big","n.$":"$Input.n"},"End":true},
  {"Type":"Pass","Name":"Small","End":true}]}`
	for _, input := range []string{`{"n":5}`, `{"n":0}`} {
		a, b := run(t, nil, yamlSrc, input), run(t, nil, jsonSrc, input)
		if a.Output != b.Output || strings.Join(stateNames(a), ",") != strings.Join(stateNames(b), ",") {
			t.Errorf("input %s: YAML gave %s via %v, JSON %s via %v", input, a.Output, stateNames(a), b.Output, stateNames(b))
		}
	}
	_, err := Parse("flow.json", []byte("{\"Type\":\"StateMachine\",\"StartAt\":\"A\",\n \"States\":[{\"Type\":\"Pass\",\"Name\":\"A\"}]}"))
	if ps := problems(t, err); ps[0].Pos != (Pos{2, 12}) || ps[0].State != "A" {
		t.Errorf("JSON problem %v; want it at 2:12 for A", ps[0])
	}
}

func TestTimestampLikeLiteralsInConstructorsStayText(t *testing.T) {
	src := flow("P", `
- Type: Pass
  Name: P
  OutputConstructor:
    since: 2024-01-31
    1: one
    true: yes
  End: true`)
	wantOutput(t, run(t, nil, src, `{}`), `{"since":"2024-01-31","1":"one","true":"yes"}`)
}
