package engine

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// FuzzParse: no input makes the flow-file loader (and with it Parse) panic,
// and a definition that loads can be walked: every transition names a state
// of its scope.
//
// The seeds are small on purpose: every input that widens coverage is
// minimized, and minimizing tries subsets of its bytes, quadratic in its
// length. Kilobyte seeds (the demo flows, which other tests run) kept both
// workers minimizing for the whole run; inputs past maxFuzzInput are skipped
// for the same reason.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"Type":"StateMachine","StartAt":"A","States":[{"Type":"Pass","Name":"A","End":true}]}`,
		"Type: StateMachine\nStartAt: A\nStates:\n- {Type: Pass, Name: A, InputConstructor: {a.$: $Input.x}, Next: B}\n- {Type: Succeed, Name: B}\n",
		"Type: StateMachine\nStartAt: C\nStates:\n- {Type: Choice, Name: C, Branches: [{Condition: $Input.n > 1, Next: F}], Default: F}\n- {Type: Fail, Name: F, Code: E}\n",
		"Type: StateMachine\nStartAt: T\nStates:\n- {Type: Task, Name: T, Action: HTTP:Request, Parameters: {url: 'http://127.0.0.1:1/'}, Retry: [{Errors: [FnF.ALL], MaxAttempts: 2}], Catch: [{Errors: [FnF.ALL], Next: W}], End: true}\n- {Type: Wait, Name: W, Seconds: 1, End: true}\n",
		"Type: StateMachine\nStartAt: P\nStates:\n- {Type: Parallel, Name: P, End: true, Branches: [{StartAt: A, States: [{Type: Pass, Name: A, End: true}]}]}\n",
		"Type: StateMachine\nStartAt: M\nStates:\n- {Type: Map, Name: M, ItemsPath: $Input.l, End: true, Processor: {StartAt: A, States: [{Type: Pass, Name: A, End: true}]}}\n",
		"Name: d\nExecutionMode: Express\nDefinition: '{Type: StateMachine, StartAt: A, States: [{Type: Pass, Name: A, End: true}]}'\n",
		"version: v1\ntype: flow\nsteps: []\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		e := loadFlow("f.yaml", data)
		var de *DefinitionError
		switch {
		case e.err != nil:
			if errors.As(e.err, &de) && len(de.Problems) == 0 {
				t.Fatalf("an error with no problems: %v", e.err)
			}
			return
		case e.def == nil:
			t.Fatalf("loadFlow gave neither a definition nor an error")
		case e.def.Legacy:
			return
		}
		checkScope(t, &e.def.Scope)
		_ = e.def.CheckExpress("f.yaml")
	})
}

// maxFuzzInput bounds FuzzParse's inputs: a few states, minimized in seconds.
const maxFuzzInput = 1 << 10

func checkScope(t *testing.T, sc *Scope) {
	t.Helper()
	if sc.State(sc.StartAt) == nil {
		t.Fatalf("StartAt %q does not resolve", sc.StartAt)
	}
	resolves := func(name string) {
		if name != "" && sc.State(name) == nil {
			t.Fatalf("transition to %q does not resolve", name)
		}
	}
	for _, st := range sc.States {
		resolves(st.Next)
		resolves(st.Default)
		for _, c := range st.Choices {
			resolves(c.Next)
		}
		for _, c := range st.Catch {
			resolves(c.Next)
		}
		if st.Next == "" && !st.End && st.Type != TypeChoice && st.Type != TypeSucceed && st.Type != TypeFail {
			t.Fatalf("state %q does not say how it goes on", st.Name)
		}
		for _, b := range st.Branches {
			checkScope(t, b)
		}
		if st.Processor != nil {
			checkScope(t, st.Processor)
		}
	}
}

// exprFlows places one expression everywhere the engine evaluates one; each
// definition that parses is run.
func exprFlows(expr string) []string {
	q, _ := json.Marshal(expr)
	e := string(q)
	head := `{"Type":"StateMachine","Name":"t","StartAt":"S","States":[`
	return []string{
		head + `{"Type":"Pass","Name":"S","InputConstructor":{"a.$":` + e + `},"OutputConstructor":{"b.$":` + e + `,"in.$":"$Input"},"GlobalConstructor":{"g.$":` + e + `},"Next":"T"},
			{"Type":"Pass","Name":"T","OutputConstructor":{"c.$":` + e + `,"g.$":"$Global"},"End":true}]}`,
		head + `{"Type":"Choice","Name":"S","Branches":[{"Condition":` + e + `,"Next":"Y"}],"Default":"N"},
			{"Type":"Succeed","Name":"Y"},{"Type":"Fail","Name":"N","Code":"No"}]}`,
		head + `{"Type":"Map","Name":"S","ItemsPath":` + e + `,"MaxConcuccency":3,"End":true,
			"Processor":{"StartAt":"P","States":[{"Type":"Pass","Name":"P","OutputConstructor":{"x.$":` + e + `},"End":true}]}}]}`,
		head + `{"Type":"Wait","Name":"S","Seconds.$":` + e + `,"End":true}]}`,
		head + `{"Type":"Parallel","Name":"S","End":true,"Branches":[{"StartAt":"F","States":[{"Type":"Fail","Name":"F","Code":"Boom"}]}],
			"Catch":[{"Errors":["FnF.ALL"],"Next":"C","OutputConstructor":{"c.$":` + e + `}}]},{"Type":"Pass","Name":"C","End":true}]}`,
	}
}

// FuzzRunExpression: no expression makes the engine panic, and every run ends
// in a known status with JSON output or an error code.
func FuzzRunExpression(f *testing.F) {
	for _, s := range []string{
		`$Input.n * 2`, `$Input.list`, `$Input.n > 1`, `format("{} {}", $Input.s, $Input.n)`,
		`hash($Input.s, "SHA-256")`, `$Context.Current.Error.Code`, `jsonMerge($Input, $Global)`,
		`arrayUnique($Input.list)`, `$Input.list[$Input.n]`, `length($Input)`, `1/0`, `-$Input.n`,
		`$Input.n % 0`, `stringToJson($Input.s)`, `split($Input.s, "")`, `intAdd($Input.n, 9007199254740993)`,
		`{"a": [$Input, $Context]}`, `$Input.n in $Input.list`, `!$Input.missing`, `2 ** 2000`,
	} {
		f.Add(s, `{"n":3,"s":"a,b","list":[1,2,3,1]}`)
	}
	f.Fuzz(func(t *testing.T, expr, input string) {
		if fnf.CheckInput([]byte(input)) != nil {
			input = `{}`
		}
		for _, src := range exprFlows(expr) {
			def, err := Parse("f.json", []byte(src))
			if err != nil {
				continue
			}
			synctest.Test(t, func(t *testing.T) {
				r := &Runner{Limit: time.Minute}
				res, err := r.Run(context.Background(), def, RunRequest{Flow: "t", Input: input})
				if err != nil {
					return // input the run refuses
				}
				switch res.Status {
				case fnf.StatusSucceeded:
					if !json.Valid([]byte(res.Output)) {
						t.Fatalf("output %q is not JSON", res.Output)
					}
				case fnf.StatusFailed, fnf.StatusTimedOut:
					if res.ErrorCode == "" {
						t.Fatalf("%s without an ErrorCode: %s", res.Status, res.ErrorMessage)
					}
				default:
					t.Fatalf("status %q", res.Status)
				}
				if len(res.Trace) == 0 {
					t.Fatalf("no trace")
				}
			})
		}
	})
}
