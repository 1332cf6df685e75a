package engine

import "testing"

// https://www.alibabacloud.com/help/en/serverless-workflow/latest/global-io:
// "$Output in GlobalConstructor refers to the raw output of the Task state
// instead of the construction result of OutputConstructor", and "$Global in
// OutputConstructor refers to the raw value before the construction made by
// GlobalConstructor". The page's own pattern is `myVar.$: $Output.Body`.
func TestGlobalConstructorSeesTheTasksRawResultBesideAnOutputConstructor(t *testing.T) {
	mocks := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Fetch: Fetched }
MockedResponses:
  Fetched: { "0": { Return: { Code: 200, Body: { user: tom } } } }
`)
	src := flow("Fetch", `
- Type: Task
  Name: Fetch
  Action: HTTP:Request
  Parameters:
    url: https://users.example.com/tom
  OutputConstructor:
    status.$: $Output.Code
    before.$: $Global.myVar
  GlobalConstructor:
    myVar.$: $Output.Body
    current.$: $Context.Current.Output.Code
  Next: Use
- Type: Pass
  Name: Use
  OutputConstructor:
    in.$: $Input
    myVar.$: $Global.myVar
    current.$: $Global.current
  End: true`)
	res := run(t, &Runner{Mocks: mocks}, src, `{}`)
	wantOutput(t, res, `{"in":{"status":200,"before":null},"myVar":{"user":"tom"},"current":200}`)
}
