package engine

import (
	"bytes"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// pythonJSONFlow is a definition as Python's json.dump(d, f, indent=2) writes
// it: characters beyond U+FFFF (here U+1F680) become UTF-16 surrogate-pair
// escapes, as JSON allows (RFC 8259, section 7).
const pythonJSONFlow = `{
  "Type": "StateMachine",
  "SpecVersion": "v1",
  "Description": "rocket \ud83d\ude80",
  "StartAt": "P",
  "States": [
    {
      "Type": "Pass",
      "Name": "P",
      "InputConstructor": {
        "greeting": "hi \ud83d\ude80"
      },
      "End": true
    }
  ]
}
`

func TestAJSONFlowFileWithSurrogatePairEscapesLoadsAndRuns(t *testing.T) {
	dir := writeFlows(t, map[string]string{
		"rocket.json": pythonJSONFlow,
		// A flow document written by json.dump, its Definition a YAML string.
		// A YAML flow document whose Definition block holds such JSON.
		"block.yaml": "Name: block\nDefinition: |\n  {\"Type\": \"StateMachine\", \"Description\": \"in \\ud83d\\ude80\",\n   \"StartAt\": \"P\", \"States\": [{\"Type\": \"Pass\", \"Name\": \"P\", \"End\": true}]}\n",
		"doc.json":   `{"Name": "doc", "Description": "doc \ud83d\ude80", "Definition": "Type: StateMachine\nSpecVersion: v1\nDescription: \"in \ud83d\ude80\"\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n"}`,
	})
	l := newLocal(t, LocalOptions{FlowsDir: dir, FlowsDirMust: true})
	flows := listFlows(t, l)
	for name, want := range map[string]string{"rocket": "rocket 🚀", "doc": "doc 🚀", "block": ""} {
		if f := flows[name]; f.Error != "" || f.Description != want {
			t.Errorf("%s: listed with problem %q and Description %q; want it loaded, described %q", name, f.Error, f.Description, want)
		}
	}
	res := start(t, l, fnf.SyncRequest{FlowName: "rocket", Input: `{}`})
	if res.Status != fnf.StatusSucceeded || !jsonEqual(t, res.Output, `{"greeting":"hi 🚀"}`) {
		t.Errorf("run: %s %s %s; want Succeeded with the greeting", res.Status, res.ErrorMessage, res.Output)
	}
}

// CreateFlow and UpdateFlow of flowtui serve take the same definitions.
func TestAServedDefinitionWithSurrogatePairEscapesCompiles(t *testing.T) {
	c, err := CompileFlow(fnf.Flow{Name: "rocket", Definition: pythonJSONFlow, ExecutionMode: fnf.ModeExpress})
	if err != nil {
		t.Fatalf("CompileFlow: %v", err)
	}
	if c.def.Description != "rocket 🚀" {
		t.Errorf("Description = %q; want %q", c.def.Description, "rocket 🚀")
	}
}

const (
	yamlPass = "Type: StateMachine\nSpecVersion: v1\nStartAt: P\nStates: [{Type: Pass, Name: P, End: true}]\n"
	jsonPass = `{"Type": "StateMachine", "StartAt": "P", "States": [{"Type": "Pass", "Name": "P", "End": true}], "Description": `
)

// Only escapes in double-quoted strings are escapes: an escaped backslash, a
// plain, single-quoted or block scalar and a comment keep the text as written,
// a lone half included.
func TestTextThatOnlyLooksLikeASurrogateEscapeIsLeftAlone(t *testing.T) {
	for _, tt := range []struct{ src, want string }{
		{jsonPass + `"C:\\ud83d\\ude80"}`, `C:\ud83d\ude80`},
		{jsonPass + `"C:\\ud83d"}`, `C:\ud83d`},
		{jsonPass + `"C:\\\ud83d\ude80"}`, `C:\🚀`},
		{jsonPass + `"q\"\ud83d\ude80\""}`, `q"🚀"`},
		{jsonPass + `"\uD83D\uDE80 \u00e9"}`, `🚀 é`},
		{yamlPass + "Description: rocket \\ud83d \"\\ude80\"\n", `rocket \ud83d "\ude80"`},
		{yamlPass + "Description: 'a \"\\ud83d'\n", `a "\ud83d`},
		{yamlPass + "Description: |\n  say \"\\ud83d\n  now\nName: t # \"\\ud83d\n", "say \"\\ud83d\nnow\n"},
		{yamlPass + "Description: >-\n    \"\\ud83d\n    \"\\ude80\nName: t\n", `"\ud83d "\ude80`},
		{yamlPass + "Description: !!str \"\\ud83d\\ude80\"\n", "🚀"},
	} {
		def, err := Parse("flow.yaml", []byte(tt.src))
		if err != nil {
			t.Errorf("%s: %v", tt.src, err)
			continue
		}
		if def.Description != tt.want {
			t.Errorf("%s: Description = %q; want %q", tt.src, def.Description, tt.want)
		}
	}
}

// A lone half of a pair stands for no character: the error says where it is.
func TestALoneSurrogateEscapeIsAnErrorAtItsPlace(t *testing.T) {
	for _, tt := range []struct {
		src       string
		line, col int
	}{
		{"{\n  \"Type\": \"StateMachine\",\n  \"Description\": \"x \\ud83d\"\n}\n", 3, 21},
		{"{\n  \"Description\": \"\\ude80 x\"\n}\n", 2, 19},
		{"{\"Description\": \"\\ud83d\\u0041\"}", 1, 18},
		{"Type: StateMachine\nDescription: \"\\ud83d\\ude80 and \\uD83D\"\n", 2, 32},
	} {
		_, err := Parse("flow.json", []byte(tt.src))
		ps := problems(t, err)
		if len(ps) != 1 || ps[0].Pos != (Pos{tt.line, tt.col}) || !strings.Contains(ps[0].Msg, "surrogate") {
			t.Errorf("%s: problems %v; want one at %d:%d about a lone surrogate", tt.src, ps, tt.line, tt.col)
		}
	}
}

// Rewriting a pair keeps line numbers: a later problem is placed as before.
func TestProblemsAfterASurrogatePairKeepTheirLine(t *testing.T) {
	src := strings.Replace(pythonJSONFlow, `"Type": "Pass"`, `"Type": "Passs"`, 1)
	_, err := Parse("flow.json", []byte(src))
	for _, p := range problems(t, err) {
		if strings.Contains(p.Msg, `"Passs"`) {
			if p.Pos.Line != 8 {
				t.Errorf("%v; want it on line 8", p)
			}
			return
		}
	}
	t.Errorf("%v; want a problem with the state type", err)
}

// A JSON mock file written by json.dump loads, its pairs joined.
func TestAJSONMockFileWithSurrogatePairEscapesLoads(t *testing.T) {
	m := mustMocks(t, `{"Flows": {"t": {"TestCases": {"Default": {"Call": "R"}}}}, "MockedResponses": {"R": {"0": {"Return": {"icon": "\ud83d\ude80"}}}}}`)
	src := flow("Call", "- Type: Task\n  Name: Call\n  Action: ECS:DescribeInstances\n  End: true")
	wantOutput(t, run(t, &Runner{Mocks: m}, src, `{}`), `{"icon":"🚀"}`)
	_, err := ParseMocks("mocks.json", []byte("{\"MockedResponses\":\n {\"R\": {\"0\": {\"Return\": \"\\udE80\"}}}}"))
	if ps := problems(t, err); len(ps) != 1 || ps[0].Pos != (Pos{2, 26}) {
		t.Errorf("lone surrogate in a mock file: %v; want one problem at 2:26", ps)
	}
}

// Whatever the text, joining pairs keeps every line where it was and never
// lengthens the text.
func FuzzJoinSurrogates(f *testing.F) {
	for _, seed := range []string{pythonJSONFlow, yamlPass + "Description: |\n  \"\\ud83d\n", `{"a": "\\\ud83d\ude80 \ud83d"}`, "a: ['\"', \"\\uDBFF\\uDFFF\"]"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, lone := joinSurrogates(data)
		if len(out) > len(data) || bytes.Count(out, []byte("\n")) != bytes.Count(data, []byte("\n")) {
			t.Fatalf("%q became %q", data, out)
		}
		for _, l := range lone {
			if l.Line < 1 || l.Col < 1 {
				t.Fatalf("%q: lone surrogate placed at %v", data, l.Pos)
			}
		}
	})
}
