package engine

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/flowtui/flowtui/fnf"
)

// writeFlows writes name → content files into a fresh directory.
func writeFlows(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newLocal(t *testing.T, opts LocalOptions) *Local {
	t.Helper()
	l, err := NewLocal(opts)
	if err != nil {
		t.Fatalf("NewLocal: %v", err)
	}
	return l
}

func listFlows(t *testing.T, l *Local) map[string]fnf.Flow {
	t.Helper()
	flows, err := l.ListFlows(context.Background())
	if err != nil {
		t.Fatalf("ListFlows: %v", err)
	}
	out := map[string]fnf.Flow{}
	for _, f := range flows {
		out[f.Name] = f
	}
	return out
}

func start(t *testing.T, l *Local, req fnf.SyncRequest) *fnf.SyncResult {
	t.Helper()
	res, err := l.StartSyncExecution(context.Background(), req)
	if err != nil {
		t.Fatalf("StartSyncExecution(%s): %v", req.FlowName, err)
	}
	return res
}

const passDef = "Type: StateMachine\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n"

func TestBareDefinitionIsNamedByItsNameElseItsFileName(t *testing.T) {
	dir := writeFlows(t, map[string]string{
		"a.yaml":    "Name: alpha\nDescription: first\n" + passDef,
		"beta.yml":  passDef,
		"notes.txt": "ignored",
	})
	flows := listFlows(t, newLocal(t, LocalOptions{FlowsDir: dir}))
	if len(flows) != 2 {
		t.Fatalf("flows %v; want alpha and beta only", flows)
	}
	a, b := flows["alpha"], flows["beta"]
	if a.Description != "first" || a.ExecutionMode != fnf.ModeExpress || a.Error != "" || !strings.Contains(a.Definition, "StartAt: P") {
		t.Errorf("alpha = %+v; want an Express flow with its description and definition", a)
	}
	if b.ExecutionMode != fnf.ModeExpress || b.Error != "" {
		t.Errorf("beta = %+v; want an Express flow named after its file", b)
	}
}

const docYAML = `Name: doc-flow
Description: saved from the cloud
ExecutionMode: Express
SampleInput: '{"n": 2}'
Definition: |
  Type: StateMachine
  Name: doc-flow
  SpecVersion: v1
  StartAt: Double
  States:
    - Type: Pass
      Name: Double
      OutputConstructor:
        n.$: $Input.n * 2
      End: true
`

func TestFlowDocumentWithALiteralDefinitionRunsAndKeepsSampleInput(t *testing.T) {
	l := newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"doc.yaml": docYAML})})
	f, err := l.DescribeFlow(context.Background(), "doc-flow")
	if err != nil {
		t.Fatal(err)
	}
	if f.SampleInput != `{"n": 2}` || f.Description != "saved from the cloud" || !strings.HasPrefix(f.Definition, "Type: StateMachine\n") || f.RequestId == "" {
		t.Errorf("DescribeFlow = %+v; want the document's fields, the inner definition and a RequestId", f)
	}
	res := start(t, l, fnf.SyncRequest{FlowName: "doc-flow", Input: f.SampleInput})
	if res.Status != fnf.StatusSucceeded || res.Output != `{"n":4}` {
		t.Errorf("run = %s %s %s; want Succeeded {\"n\":4}", res.Status, res.Output, res.ErrorMessage)
	}
}

func TestErrorsInALiteralDefinitionPointAtTheLineAndColumnOfTheFile(t *testing.T) {
	bad := strings.Replace(docYAML, "Name: Double\n", "Name: Double\n      Next: Nowhere\n", 1)
	dir := writeFlows(t, map[string]string{"doc.yaml": bad})
	f := listFlows(t, newLocal(t, LocalOptions{FlowsDir: dir}))["doc-flow"]
	// "    - Type: Pass" is line 11 of the file; its mapping starts at column 7.
	want := filepath.Join(dir, "doc.yaml") + `:11:7: state "Double"`
	if !strings.Contains(f.Error, want) {
		t.Errorf("Error = %q; want it to start %q", f.Error, want)
	}
}

func TestFlowDocumentInJSONWithTheDefinitionAsAString(t *testing.T) {
	doc := `{"Name": "json-flow", "ExecutionMode": "Express", "SampleInput": "{}",
  "Definition": "{\"Type\":\"StateMachine\",\"StartAt\":\"P\",\"States\":[{\"Type\":\"Pass\",\"Name\":\"P\",\"OutputConstructor\":{\"ok\":true},\"End\":true}]}"}`
	l := newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"j.json": doc})})
	res := start(t, l, fnf.SyncRequest{FlowName: "json-flow"})
	if res.Status != fnf.StatusSucceeded || res.Output != `{"ok":true}` {
		t.Errorf("run = %s %s %s; want Succeeded {\"ok\":true}", res.Status, res.Output, res.ErrorMessage)
	}
}

func TestAFileThatDoesNotParseIsListedWithItsErrorAndCannotRun(t *testing.T) {
	dir := writeFlows(t, map[string]string{
		"broken.yaml":  "Type: StateMachine\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n",
		"garbage.yaml": "a: b\n  c: d\n",
	})
	l := newLocal(t, LocalOptions{FlowsDir: dir})
	flows := listFlows(t, l)
	for name, pos := range map[string]string{"broken": ":4:5: ", "garbage": ":2:1: "} {
		f, ok := flows[name]
		if !ok || !strings.HasPrefix(f.Error, filepath.Join(dir, name+".yaml")+pos) {
			t.Errorf("%s listed = %v, Error %q; want it listed with file%s…", name, ok, f.Error, pos)
		}
	}
	_, err := l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "broken"})
	apiErr(t, err, fnf.CodeInvalidArgument, 400)
}

func TestTwoFilesWithTheSameFlowNameAreBothListed(t *testing.T) {
	dir := writeFlows(t, map[string]string{"one.yaml": "Name: same\n" + passDef, "two.yaml": "Name: same\n" + passDef})
	flows, err := newLocal(t, LocalOptions{FlowsDir: dir}).ListFlows(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(flows) != 2 || flows[0].Name != "same" || flows[0].Error != "" || !strings.Contains(flows[1].Error, "one.yaml") {
		t.Errorf("flows %+v; want same (one.yaml) and the second flagged as a duplicate of one.yaml", flows)
	}
}

func TestAFileReplacesTheDemoFlowOfTheSameName(t *testing.T) {
	own := "Name: order-routing\nType: StateMachine\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    OutputConstructor: { mine: true }\n    End: true\n"
	l := newLocal(t, LocalOptions{Demos: true, FlowsDir: writeFlows(t, map[string]string{"o.yaml": own})})
	flows, _ := l.ListFlows(context.Background())
	n := 0
	for _, f := range flows {
		if f.Name == "order-routing" {
			n++
		}
	}
	res := start(t, l, fnf.SyncRequest{FlowName: "order-routing"})
	if n != 1 || res.Output != `{"mine":true}` {
		t.Errorf("order-routing listed %d times, ran to %s; want once, the file's flow", n, res.Output)
	}
}

func TestStandardFlowIsRefusedWithActionNotSupported(t *testing.T) {
	doc := strings.Replace(docYAML, "ExecutionMode: Express", "ExecutionMode: Standard", 1)
	l := newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"doc.yaml": doc})})
	_, err := l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "doc-flow"})
	apiErr(t, err, fnf.CodeActionNotSupported, 400)
}

func TestUnknownFlowIsFlowNotExists(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	_, err := l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "nope"})
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
	_, err = l.DescribeFlow(context.Background(), "nope")
	apiErr(t, err, fnf.CodeFlowNotExists, 404)
}

func TestExecutionNamesAreNameColonUUIDOrABareUUID(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	res := start(t, l, fnf.SyncRequest{FlowName: "order-routing", ExecutionName: "try_1", Input: `{"country":"CN","total":1}`})
	name, id, ok := strings.Cut(res.Name, ":")
	if _, err := uuid.Parse(id); !ok || name != "try_1" || err != nil {
		t.Errorf("Name = %q; want try_1:<UUID>", res.Name)
	}
	res = start(t, l, fnf.SyncRequest{FlowName: "order-routing", Input: `{"country":"CN","total":1}`})
	if _, err := uuid.Parse(res.Name); err != nil || strings.Contains(res.Name, ":") {
		t.Errorf("Name = %q; want a bare UUID", res.Name)
	}
	if res.FlowName != "order-routing" || res.RequestId == "" || res.StartedTime == "" || res.StoppedTime == "" || len(res.Trace) == 0 {
		t.Errorf("result %+v; want flow name, request id, times and a trace", res.Execution)
	}
}

func TestInvalidExecutionNameOrInputIsInvalidArgument(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	for _, req := range []fnf.SyncRequest{
		{FlowName: "order-routing", ExecutionName: "1-starts-with-a-digit"},
		{FlowName: "order-routing", ExecutionName: "has space"},
		{FlowName: "order-routing", Input: `{"a":`},
		{FlowName: "order-routing", Input: `[1,2]`},
	} {
		_, err := l.StartSyncExecution(context.Background(), req)
		apiErr(t, err, fnf.CodeInvalidArgument, 400)
	}
}

func TestUnknownTestCaseIsInvalidArgumentNamingTheKnownOnes(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	_, err := l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "charge-with-retry", TestCase: "Nope"})
	ae := apiErr(t, err, fnf.CodeInvalidArgument, 400)
	if !strings.Contains(ae.Message, `"Nope"`) || !strings.Contains(ae.Message, "Declined, Default") {
		t.Errorf("message %q; want the unknown case and the known ones", ae.Message)
	}
	if got := l.TestCases("charge-with-retry"); strings.Join(got, ",") != "Declined,Default" {
		t.Errorf("TestCases = %v; want [Declined Default]", got)
	}
}

func TestEditsToAFlowFileShowOnTheNextListFlows(t *testing.T) {
	dir := writeFlows(t, map[string]string{"e.yaml": "Name: edited\nDescription: v1\n" + passDef})
	l := newLocal(t, LocalOptions{FlowsDir: dir})
	if d := listFlows(t, l)["edited"].Description; d != "v1" {
		t.Fatalf("Description = %q; want v1", d)
	}
	os.WriteFile(filepath.Join(dir, "e.yaml"), []byte("Name: edited\nDescription: v2\n"+passDef), 0o600)
	os.WriteFile(filepath.Join(dir, "new.yaml"), []byte(passDef), 0o600)
	flows := listFlows(t, l)
	if flows["edited"].Description != "v2" || flows["new"].Name != "new" {
		t.Errorf("after edits: %+v; want v2 and the new file", flows)
	}
}

func TestAMissingFlowsDirectoryIsAnErrorOnlyWhenNamed(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	if _, err := newLocal(t, LocalOptions{FlowsDir: missing, Demos: true}).ListFlows(context.Background()); err != nil {
		t.Errorf("default directory absent: %v; want the demo flows", err)
	}
	_, err := newLocal(t, LocalOptions{FlowsDir: missing, FlowsDirMust: true}).ListFlows(context.Background())
	if err == nil || !regexp.MustCompile(`flows directory`).MatchString(err.Error()) {
		t.Errorf("named directory absent: %v; want an error", err)
	}
}

func TestAFlowDocumentWhoseDefinitionNamesAnotherFlowIsAnError(t *testing.T) {
	doc := strings.Replace(docYAML, "Name: doc-flow\nDescription", "Name: renamed\nDescription", 1)
	f := listFlows(t, newLocal(t, LocalOptions{FlowsDir: writeFlows(t, map[string]string{"doc.yaml": doc})}))["renamed"]
	if !strings.Contains(f.Error, `named "doc-flow" but the flow "renamed"`) {
		t.Errorf("Error = %q; want the name mismatch", f.Error)
	}
}

// A wait for the answer longer than 5 minutes (run --timeout 10m) does not
// lengthen an Express flow's own limit.
func TestALocalExpressRunKeepsTheExpressLimitUnderALongerTimeout(t *testing.T) {
	l, err := NewLocal(LocalOptions{Demos: true, Limit: 10 * time.Minute, FastWait: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Runner().Limit; got != ExpressLimit {
		t.Fatalf("the runner's limit under a 10m timeout: %s, want %s", got, ExpressLimit)
	}
	if l, _ := NewLocal(LocalOptions{Demos: true, Limit: time.Minute}); l.Runner().Limit != time.Minute {
		t.Errorf("a shorter timeout is the limit: %s", l.Runner().Limit)
	}
}
