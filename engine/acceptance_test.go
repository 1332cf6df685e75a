package engine

import (
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// Acceptance cases built from the examples of the public CloudFlow pages;
// each case pins what its page states:
//   - D, Pass: https://www.alibabacloud.com/help/en/serverless-workflow/latest/pass-pass
//   - E, Choice and Fail: https://www.alibabacloud.com/help/en/serverless-workflow/latest/fail
//   - F, Choice routing, by the YAML of the page where its prose says otherwise:
//     https://www.alibabacloud.com/help/en/serverless-workflow/latest/select-choice
//   - G, Map in inline mode (results under Items):
//     https://www.alibabacloud.com/help/en/serverless-workflow/latest/inline-mode
//   - H, built-in functions:
//     https://www.alibabacloud.com/help/en/serverless-workflow/latest/built-in-functions

func TestCaseD_InputConstructorReplacesTheInput(t *testing.T) {
	src := `Type: StateMachine
Name: my-wkfl
SpecVersion: v1
StartAt: Pass1
States:
  - Type: Pass
    Name: Pass1
    End: true
    InputConstructor:
      FieldA: 123
`
	wantOutput(t, run(t, nil, src, `{"requestId":"abc-123"}`), `{"FieldA":123}`)
}

func TestCaseD_PassWithoutConstructorsForwardsItsInput(t *testing.T) {
	src := flow("Pass1", `
- Type: Pass
  Name: Pass1
  End: true`)
	wantOutput(t, run(t, nil, src, `{"requestId":"abc-123","n":[1,2]}`), `{"requestId":"abc-123","n":[1,2]}`)
}

const caseE = `Type: StateMachine
Name: my-workflow
SpecVersion: v1
StartAt: Choice1
States:
  - Type: Choice
    Name: Choice1
    Branches:
      - Condition: $Input.status == "true"
        Next: Pass1
    Default: Fail1
  - Type: Fail
    Name: Fail1
    Code: "customBizCode"
    End: true
  - Type: Pass
    Name: Pass1
    End: true
`

func TestCaseE_ChoiceToPassSucceedsWithTheInput(t *testing.T) {
	res := run(t, nil, caseE, `{"status":"true"}`)
	wantOutput(t, res, `{"status":"true"}`)
	wantStates(t, res, "Choice1", "Pass1")
}

func TestCaseE_DefaultToFailEndsFailedWithItsCode(t *testing.T) {
	for _, input := range []string{`{"status":"false"}`, `{}`} {
		res := run(t, nil, caseE, input)
		wantError(t, res, fnf.StatusFailed, "customBizCode")
		wantStates(t, res, "Choice1", "Fail1")
	}
}

const caseF = `Type: StateMachine
Name: MyWorkflow
SpecVersion: v1
StartAt: Choice
States:
  - Type: Choice
    Name: Choice
    Branches:
      - Condition: $Input.data == "ready"
        Next: Pass1
    Default: Pass2
  - Type: Pass
    Name: Pass2
    End: true
  - Type: Pass
    Name: Pass1
    End: true
`

func TestCaseF_ChoiceRoutesByTheYAMLNotTheProse(t *testing.T) {
	tests := []struct{ input, via string }{
		{`{"data":"ready"}`, "Pass1"},
		{`{"data":"other"}`, "Pass2"},
		{`{"status":"ready"}`, "Pass2"},
	}
	for _, tt := range tests {
		res := run(t, nil, caseF, tt.input)
		wantOutput(t, res, tt.input)
		wantStates(t, res, "Choice", tt.via)
	}
}

func TestCaseG_InlineMapOutputsItemsInOrder(t *testing.T) {
	src := `Type: StateMachine
Name: map-demo
SpecVersion: v1
StartAt: Map1
States:
  - Type: Map
    Name: Map1
    ItemsPath: $Input.Items
    Processor:
      StartAt: Pass1
      States:
        - Type: Pass
          Name: Pass1
          End: true
    End: true
`
	res := run(t, nil, src, `{"Items":[{"k":1},{"k":2}]}`)
	wantOutput(t, res, `{"Items":[{"k":1},{"k":2}]}`)
}

func TestCaseH_BuiltinFunctionsThroughAnOutputConstructor(t *testing.T) {
	src := flow("Builtins", `
- Type: Pass
  Name: Builtins
  OutputConstructor:
    format.$: format("hello {}","world")
    md5.$: hash("abc","MD5")
    unique.$: arrayUnique([1,2,3,1])
    contains.$: arrayContains(["Tom",10],"Jack")
    containsTen.$: arrayContains(["Tom",10],10)
    decoded.$: fromBase64("Rm5G")
    length.$: length("name")
    merged.$: 'jsonMerge({"name":"Tom","age":10},{"name":"Tom","address":"beijing"})'
    parsed.$: stringToJson('{"name":"Tom","age":10}')
  End: true`)
	wantOutput(t, run(t, nil, src, `{}`), `{
		"format": "hello world",
		"md5": "900150983cd24fb0d6963f7d28e17f72",
		"unique": [1,2,3],
		"contains": false,
		"containsTen": true,
		"decoded": "FnF",
		"length": 4,
		"merged": {"name":"Tom","age":10,"address":"beijing"},
		"parsed": {"name":"Tom","age":10}
	}`)
}
