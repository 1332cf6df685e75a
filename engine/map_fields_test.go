package engine

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// The Map's fields besides ItemsPath and Processor, from the distributed-mode
// page (https://www.alibabacloud.com/help/en/serverless-workflow/latest/distributed-mode):
// the items of ItemsPath are shaped by ItemConstructor ($Item is the item),
// then grouped by ItemBatcher, and each item or batch is an iteration's
// input; the results come back in item order. The examples extend the
// inline-mode page's (https://www.alibabacloud.com/help/en/serverless-workflow/latest/inline-mode),
// whose input holds FieldA: [{a: b}, {c: d}].

// mapFlow is a Map named M over $Input.FieldA whose Processor echoes its
// input; fields are written at the Map's level.
func mapFlow(fields string) string {
	return flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
`+strings.Trim(fields, "\n")+`
  Processor:
    StartAt: Echo
    States:
      - Type: Pass
        Name: Echo
        End: true`)
}

func TestMapItemConstructorShapesEachItemWithItemAndInput(t *testing.T) {
	src := mapFlow(`
  ItemConstructor:
    item.$: $Item
    from.$: $Input.source
    index.$: $Context.Current.Name`)
	res := run(t, nil, src, `{"source":"orders","FieldA":[{"a":"b"},{"c":"d"}]}`)
	wantOutput(t, res, `{"Items":[
		{"item":{"a":"b"},"from":"orders","index":"M"},
		{"item":{"c":"d"},"from":"orders","index":"M"}]}`)
}

func TestMapMaxItemsRunsTheFirstItemsOnly(t *testing.T) {
	res := run(t, nil, mapFlow("  MaxItems: 2\n  MaxConcuccency: 1"), `{"FieldA":[1,2,3,4]}`)
	wantOutput(t, res, `{"Items":[1,2]}`)
	wantStates(t, res, "M[0]/Echo", "M[1]/Echo", "M")
}

// A batch is {"Items": [...]}, with BatchInput beside the items when given
// (computed once, on the Map's input); the last batch takes what is left.
func TestMapItemBatcherGroupsItemsIntoBatches(t *testing.T) {
	src := mapFlow(`
  MaxConcuccency: 1
  ItemBatcher:
    MaxItemsPerBatch: 2
    BatchInput:
      run.$: $Input.run`)
	res := run(t, nil, src, `{"run":7,"FieldA":[{"a":"b"},{"c":"d"},{"e":"f"}]}`)
	wantOutput(t, res, `{"Items":[
		{"BatchInput":{"run":7},"Items":[{"a":"b"},{"c":"d"}]},
		{"BatchInput":{"run":7},"Items":[{"e":"f"}]}]}`)
	wantStates(t, res, "M[0]/Echo", "M[1]/Echo", "M")
}

// MaxInputBytesPerBatch bounds the batch's JSON as the Processor receives it;
// an item larger than the bound still gets a batch of its own.
func TestMapItemBatcherBoundsTheBytesOfABatch(t *testing.T) {
	// {"Items":[]} is 12 bytes; "aaaa" is 6, and 1 more for each comma.
	src := mapFlow(`
  ItemBatcher:
    MaxInputBytesPerBatch: 25`)
	res := run(t, nil, src, `{"FieldA":["aaaa","bbbb","cccc","a-string-longer-than-25-bytes","d"]}`)
	wantOutput(t, res, `{"Items":[
		{"Items":["aaaa","bbbb"]},
		{"Items":["cccc"]},
		{"Items":["a-string-longer-than-25-bytes"]},
		{"Items":["d"]}]}`)
}

// ItemConstructor shapes items before ItemBatcher groups them (the page's
// order: ItemsPath, ItemConstructor, ItemBatcher); MaxItems counts items.
func TestMapFieldsApplyInTheDocumentedOrder(t *testing.T) {
	src := mapFlow(`
  MaxItems: 3
  ItemConstructor:
    v.$: $Item
  ItemBatcher:
    MaxItemsPerBatch: 2`)
	res := run(t, nil, src, `{"FieldA":[1,2,3,4]}`)
	wantOutput(t, res, `{"Items":[{"Items":[{"v":1},{"v":2}]},{"Items":[{"v":3}]}]}`)
}

// checkFlow is a Map over $Input.FieldA whose Processor fails with code Bad
// for an item {"ok": false}.
func checkFlow(fields string) string {
	return flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
  MaxConcuccency: 1
`+strings.Trim(fields, "\n")+`
  Processor:
    StartAt: Check
    States:
      - Type: Choice
        Name: Check
        Branches:
          - Condition: $Input.ok == false
            Next: Bad
        Default: Good
      - Type: Fail
        Name: Bad
        Code: Bad
        Detail: item refused
      - Type: Pass
        Name: Good
        End: true`)
}

// Without a tolerance, one failed iteration fails the Map with its error
// (the page: "When a sub-workflow execution fails, the Map state ends in
// failure").
func TestMapFailsOnTheFirstFailureWithoutTolerance(t *testing.T) {
	res := run(t, nil, checkFlow(""), `{"FieldA":[{"ok":true},{"ok":false},{"ok":true}]}`)
	wantError(t, res, fnf.StatusFailed, "Bad", "item refused")
}

// Tolerated failures let the Map go on; a failed item's place in Items
// holds its error, as $Context.Current.Error shapes one.
func TestMapToleratedFailureCountLetsTheMapSucceed(t *testing.T) {
	res := run(t, nil, checkFlow("  ToleratedFailureCount: 1"), `{"FieldA":[{"ok":true},{"ok":false},{"ok":true}]}`)
	wantOutput(t, res, `{"Items":[{"ok":true},{"Code":"Bad","Detail":"item refused"},{"ok":true}]}`)

	res = run(t, nil, checkFlow("  ToleratedFailureCount: 1"), `{"FieldA":[{"ok":false},{"ok":false},{"ok":true}]}`)
	wantError(t, res, fnf.StatusFailed, "Bad", "item refused")
	// The Map stops at the failure that passed the tolerance.
	wantStates(t, res, "M[0]/Check", "M[0]/Bad", "M[1]/Check", "M[1]/Bad", "M")
}

func TestMapToleratedFailurePercentageCountsItems(t *testing.T) {
	src := checkFlow("  ToleratedFailurePercentage: 25")
	res := run(t, nil, src, `{"FieldA":[{"ok":true},{"ok":false},{"ok":true},{"ok":true}]}`)
	wantOutput(t, res, `{"Items":[{"ok":true},{"Code":"Bad","Detail":"item refused"},{"ok":true},{"ok":true}]}`)

	res = run(t, nil, src, `{"FieldA":[{"ok":false},{"ok":true},{"ok":false},{"ok":true}]}`)
	wantError(t, res, fnf.StatusFailed, "Bad")
}

// With both, the Map fails when either is passed.
func TestMapToleratedCountAndPercentageEitherFails(t *testing.T) {
	src := checkFlow("  ToleratedFailurePercentage: 100\n  ToleratedFailureCount: 1")
	res := run(t, nil, src, `{"FieldA":[{"ok":false},{"ok":false}]}`)
	wantError(t, res, fnf.StatusFailed, "Bad")
}

// A failed batch counts all its items as failed.
func TestMapToleranceCountsTheItemsOfAFailedBatch(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
  ToleratedFailureCount: 1
  ItemBatcher:
    MaxItemsPerBatch: 2
  Processor:
    StartAt: Bad
    States:
      - Type: Fail
        Name: Bad
        Code: Bad`)
	res := run(t, nil, src, `{"FieldA":[1,2]}`)
	wantError(t, res, fnf.StatusFailed, "Bad")
}

// A failure that is not the flow's own (a Task with no mock, a limit of the
// run) is never tolerated.
func TestMapNeverToleratesASetUpProblem(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
  ToleratedFailurePercentage: 100
  Processor:
    StartAt: T
    States:
      - Type: Task
        Name: T
        Action: FC:InvokeFunction
        Parameters: {resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/f, invocationType: Sync}
        End: true`)
	res := run(t, nil, src, `{"FieldA":[1]}`)
	if res.ErrorCode != CodeNotMocked {
		t.Fatalf("ErrorCode = %q (%s); want %s", res.ErrorCode, res.ErrorMessage, CodeNotMocked)
	}
}

// The inline mode is the default and may be named; Standard child
// executions, and ItemReader and ResultWriter (OSS), are refused by name
// before anything runs.
func TestMapProcessorConfig(t *testing.T) {
	res := run(t, nil, mapFlow("  ProcessorConfig:\n    Mode: Inline"), `{"FieldA":[1]}`)
	wantOutput(t, res, `{"Items":[1]}`)

	for _, tt := range []struct {
		name, fields string
		want         []string
	}{
		{"standard children", "  ProcessorConfig:\n    Mode: Distributed\n    ExecutionMode: Standard", []string{"ExecutionMode Standard", "local runs do not support", "Express"}},
		{"no execution mode", "  ProcessorConfig:\n    Mode: Distributed", []string{"needs ExecutionMode"}},
		{"unknown execution mode", "  ProcessorConfig:\n    Mode: Distributed\n    ExecutionMode: Fast", []string{`ExecutionMode "Fast"`}},
		{"execution mode inline", "  ProcessorConfig:\n    Mode: Inline\n    ExecutionMode: Express", []string{"ExecutionMode", "distributed Map"}},
		{"inline concurrency", "  MaxConcuccency: 41", []string{"MaxConcuccency", "0 to 40"}},
		{"unknown mode", "  ProcessorConfig:\n    Mode: Parallel", []string{`Mode "Parallel"`, "Inline", "Distributed"}},
		{"unknown key", "  ProcessorConfig:\n    Mod: Inline", []string{`did you mean "Mode"?`}},
		{"reader", "  ItemReader:\n    SourceType: OSS_OBJECTS", []string{"ItemReader", "OSS"}},
		{"writer", "  ResultWriter:\n    Bucket: b", []string{"ResultWriter", "OSS"}},
		{"batcher without bounds", "  ItemBatcher:\n    BatchInput: {a: 1}", []string{"MaxItemsPerBatch or MaxInputBytesPerBatch"}},
		{"batcher key", "  ItemBatcher:\n    MaxItemPerBatch: 2", []string{`did you mean "MaxItemsPerBatch"?`}},
		{"percentage over 100", "  ToleratedFailurePercentage: 150", []string{"ToleratedFailurePercentage", "0 to 100"}},
		{"count not whole", "  ToleratedFailureCount: 1.5", []string{"ToleratedFailureCount", "whole number"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(mapFlow(tt.fields)))
			if err == nil {
				t.Fatal("Parse succeeded; want a refusal")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// distributed is the ProcessorConfig of a distributed Map with Express
// child executions (the distributed-mode page's ProcessorConfig).
const distributed = "  ProcessorConfig:\n    Mode: Distributed\n    ExecutionMode: Express"

// A distributed Map gives what the inline one gives: its fields apply the
// same way and the results come back in item order under Items.
func TestDistributedMapHasTheInlineOutput(t *testing.T) {
	fields := `
  MaxItems: 3
  ItemConstructor:
    v.$: $Item
  ItemBatcher:
    MaxItemsPerBatch: 2`
	in := `{"FieldA":[1,2,3,4]}`
	want := run(t, nil, mapFlow(fields), in)
	res := run(t, nil, mapFlow(fields+"\n"+distributed), in)
	wantOutput(t, res, want.Output)
	wantOutput(t, run(t, nil, mapFlow(distributed+"\n  MaxConcuccency: 1000"), `{"FieldA":[{"a":"b"},{"c":"d"}]}`), `{"Items":[{"a":"b"},{"c":"d"}]}`)
}

// An ExecutionMode alone chooses the distributed mode, as an earlier version
// of the page put it ("If you set the ExecutionMode field of ProcessorConfig
// to Express, Map states are iterated in distributed mode").
func TestExecutionModeAloneMeansDistributed(t *testing.T) {
	def := mustParse(t, mapFlow("  ProcessorConfig:\n    ExecutionMode: Express"))
	if st := def.State("M"); !st.Distributed {
		t.Fatal("the Map runs inline; want distributed")
	}
}

// Each iteration of a distributed Map is an execution of its own ("each
// sub-workflow receives one item (or one batch) as input"): its
// $Context.Execution.Input is the item, and it starts with no $Global.
func TestDistributedMapIterationsAreChildExecutions(t *testing.T) {
	src := flow("Set", `
- Type: Pass
  Name: Set
  GlobalConstructor:
    parent: yes
  Next: M
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
`+distributed+`
  Processor:
    StartAt: Look
    States:
      - Type: Pass
        Name: Look
        OutputConstructor:
          input.$: $Context.Execution.Input
          global.$: $Global
        End: true`)
	res := run(t, nil, src, `{"FieldA":[{"a":"b"},{"c":"d"}]}`)
	wantOutput(t, res, `{"Items":[{"input":{"a":"b"},"global":{}},{"input":{"c":"d"},"global":{}}]}`)
}

// A child execution counts its own events: a distributed Map runs more
// items than the one execution of an inline Map could (1,249 items of one
// Pass state).
func TestDistributedMapChildrenCountTheirOwnEvents(t *testing.T) {
	items := "[" + strings.TrimSuffix(strings.Repeat("1,", 1300), ",") + "]"
	in := `{"FieldA":` + items + `}`
	r := &Runner{NoTrace: true}
	wantError(t, run(t, r, mapFlow(""), in), fnf.StatusFailed, CodeEventLimit)
	res := run(t, r, mapFlow(distributed), in)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status = %s (%s: %s); want Succeeded", res.Status, res.ErrorCode, res.ErrorMessage)
	}
}

// Mocked attempts are counted per execution, so each child execution's
// first invocation of a Task takes "0".
func TestDistributedMapChildrenCountTheirOwnMockedAttempts(t *testing.T) {
	mocks := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Charge: Counted }
MockedResponses:
  Counted:
    "0": { Return: { n: 0 } }
    "1": { Return: { n: 1 } }
`)
	src := func(fields string) string {
		return flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
  MaxConcuccency: 1
`+fields+`
  Processor:
    StartAt: Charge
    States:
      - Type: Task
        Name: Charge
        Action: ECS:DescribeInstances
        End: true`)
	}
	r := &Runner{Mocks: mocks}
	wantOutput(t, run(t, r, src(""), `{"FieldA":[1,2]}`), `{"Items":[{"n":0},{"n":1}]}`)
	wantOutput(t, run(t, r, src(distributed), `{"FieldA":[1,2]}`), `{"Items":[{"n":0},{"n":0}]}`)
}

// A child execution that passes its own event limit is a failed child: the
// Map's tolerance decides.
func TestDistributedMapToleratesAChildAtItsEventLimit(t *testing.T) {
	src := flow("M", `
- Type: Map
  Name: M
  End: true
  ItemsPath: $Input.FieldA
  ToleratedFailureCount: 1
`+distributed+`
  Processor:
    StartAt: Loop
    States:
      - Type: Choice
        Name: Loop
        Branches:
          - Condition: $Input.spin == true
            Next: Loop
        Default: Done
      - Type: Succeed
        Name: Done`)
	res := run(t, &Runner{NoTrace: true}, src, `{"FieldA":[{"spin":true},{"spin":false}]}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status = %s (%s: %s); want Succeeded", res.Status, res.ErrorCode, res.ErrorMessage)
	}
	if !strings.Contains(res.Output, CodeEventLimit) || !strings.Contains(res.Output, `{"spin":false}`) {
		t.Errorf("Output = %s; want the first item's error and the second item", res.Output)
	}
}

// An iteration's input the Map makes is a state input: at most 64 KiB
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/input-and-output).
func TestMapMadeIterationInputsKeepTheStateLimit(t *testing.T) {
	big := strings.Repeat("x", 40*1024)
	in := `{"big":"` + big + `","FieldA":[1,2]}`
	res := run(t, nil, mapFlow("  ItemConstructor:\n    all.$: $Input\n    again.$: $Input\n    item.$: $Item"), in)
	wantError(t, res, fnf.StatusFailed, CodeDataLimit, "the input of iteration 0")
	res = run(t, nil, mapFlow("  ItemBatcher:\n    MaxItemsPerBatch: 2\n    BatchInput:\n      a.$: $Input.big\n      b.$: $Input.big"), in)
	wantError(t, res, fnf.StatusFailed, CodeDataLimit, "the input of iteration 0")
}

// $Item has a value in a Map's ItemConstructor only; anywhere else it is
// refused when the flow loads rather than read as null.
func TestItemOutsideAnItemConstructorIsRefused(t *testing.T) {
	for name, src := range map[string]string{
		"output constructor": flow("P", "- Type: Pass\n  Name: P\n  End: true\n  OutputConstructor:\n    x.$: $Item.a"),
		"items path":         flow("M", "- Type: Map\n  Name: M\n  End: true\n  ItemsPath: $Item\n  Processor:\n    StartAt: P\n    States:\n      - Type: Pass\n        Name: P\n        End: true"),
		"batch input":        mapFlow("  ItemBatcher:\n    MaxItemsPerBatch: 2\n    BatchInput:\n      x.$: $Item"),
		"choice":             flow("C", "- Type: Choice\n  Name: C\n  Branches:\n    - Condition: $Item == 1\n      Next: D\n  Default: D\n- Type: Succeed\n  Name: D"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(src))
			if err == nil || !strings.Contains(err.Error(), "$Item is the item of a Map's ItemConstructor") {
				t.Fatalf("Parse error = %v; want $Item refused", err)
			}
		})
	}
}
