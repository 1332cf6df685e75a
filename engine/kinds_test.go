package engine

import (
	"go/ast"
	goparser "go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/flowtui/flowtui/fnf"
)

// kindExamples is a small flow for each state type, starting at its state S.
// A new state type needs one here: the test below fails without it.
var kindExamples = map[string]struct {
	states, input string
	status        fnf.Status
}{
	TypePass: {"- Type: Pass\n  Name: S\n  End: true", `{}`, fnf.StatusSucceeded},
	TypeTask: {"- Type: Task\n  Name: S\n  Action: ECS:DescribeInstances\n  End: true", `{}`, fnf.StatusSucceeded},
	TypeChoice: {"- Type: Choice\n  Name: S\n  Branches:\n    - Condition: $Input.x == 1\n      Next: D\n  Default: D\n" +
		"- Type: Succeed\n  Name: D", `{"x":1}`, fnf.StatusSucceeded},
	TypeParallel: {"- Type: Parallel\n  Name: S\n  Branches:\n    - StartAt: P\n      States:\n        - Type: Pass\n          Name: P\n          End: true\n  End: true",
		`{}`, fnf.StatusSucceeded},
	TypeMap: {"- Type: Map\n  Name: S\n  ItemsPath: $Input.items\n  Processor:\n    StartAt: P\n    States:\n      - Type: Pass\n        Name: P\n        End: true\n  End: true",
		`{"items":[1,2]}`, fnf.StatusSucceeded},
	TypeWait:    {"- Type: Wait\n  Name: S\n  Seconds: 1\n  End: true", `{}`, fnf.StatusSucceeded},
	TypeSucceed: {"- Type: Succeed\n  Name: S", `{}`, fnf.StatusSucceeded},
	TypeFail:    {"- Type: Fail\n  Name: S\n  Code: E\n  Detail: d", `{}`, fnf.StatusFailed},
}

const kindMocks = "Flows:\n  t:\n    TestCases:\n      Default: { S: R }\nMockedResponses:\n  R: { \"0\": { Return: { ok: true } } }\n"

// Every state type is one row of stateKinds, and a whole one: it parses,
// validates and runs, and takes Retry exactly when the row says so.
func TestEveryStateTypeIsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range stateKinds {
		if k.name == "" || seen[k.name] || k.kind == nil || k.goes < toNext || k.goes > endsScope {
			t.Errorf("row %+v: want a new name, a kind and how it goes on", k)
		}
		seen[k.name] = true
		ex, ok := kindExamples[k.name]
		if !ok {
			t.Errorf("%s: no example flow in kindExamples", k.name)
			continue
		}
		synctest.Test(t, func(t *testing.T) {
			res := run(t, &Runner{Mocks: mustMocks(t, kindMocks)}, flow("S", ex.states), ex.input)
			traced := false
			for _, s := range res.Trace {
				traced = traced || s.State == "S" && s.Type == k.name
			}
			if res.Status != ex.status || !traced {
				t.Errorf("%s: status %s (%s), trace %+v; want %s and the state in the trace", k.name, res.Status, res.ErrorMessage, res.Trace, ex.status)
			}
		})
		withRetry := strings.Replace(flow("S", ex.states), "    Name: S\n", "    Name: S\n    Retry:\n      - Errors: [FnF.ALL]\n", 1)
		_, err := Parse("flow.yaml", []byte(withRetry))
		if k.retries != (err == nil) || err != nil && !strings.Contains(err.Error(), "Retry is allowed on Task, Parallel and Map states only") {
			t.Errorf("%s with Retry: %v; want it accepted = %v", k.name, err, k.retries)
		}
	}
	for _, name := range typeConstants(t) {
		if stateKindOf(name) == nil {
			t.Errorf("state type %s has a constant in definition.go but no row in stateKinds", name)
		}
	}
}

// typeConstants reads the values of the Type… constants of definition.go.
func typeConstants(t *testing.T) []string {
	f, err := goparser.ParseFile(token.NewFileSet(), "definition.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || !strings.HasPrefix(vs.Names[0].Name, "Type") || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok {
			s, _ := strconv.Unquote(lit.Value)
			names = append(names, s)
		}
		return true
	})
	if len(names) == 0 {
		t.Fatal("no Type constants found in definition.go")
	}
	return names
}
