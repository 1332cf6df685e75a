package server

import (
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// An execution started without a name is named by a UUID, which may begin
// with a digit: every action that names an existing execution takes it,
// though a name one chooses must begin with a letter or _.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestGeneratedNamesAreAcceptedByEveryAction(t *testing.T) {
	ts := start(t, Config{Local: engineOpts(flowDir(t, map[string]string{
		"std-wait.yaml": standardFlow("std-wait", "    - Type: Wait\n      Name: S\n      Seconds: 300\n      End: true\n"),
	}))})
	do := func(action string, params ...string) answer {
		return ts.do(t, call{action: action, params: params})
	}
	name := ""
	for range 60 { // a UUID begins with a digit ten times in sixteen
		a := do("StartExecution", "FlowName", "std-wait")
		wantOK(t, a)
		if n := a.str("Name"); n[0] >= '0' && n[0] <= '9' {
			name = n
			break
		}
	}
	if name == "" {
		t.Fatal("no generated name began with a digit in 60 starts")
	}
	wantOK(t, do("DescribeExecution", "FlowName", "std-wait", "ExecutionName", name))
	wantOK(t, do("GetExecutionHistory", "FlowName", "std-wait", "ExecutionName", name))
	wantOK(t, do("ListExecutions", "FlowName", "std-wait", "ExecutionNamePrefix", name[:4]))
	if a := do("StopExecution", "FlowName", "std-wait", "ExecutionName", name); a.str("Status") != string(fnf.StatusStopped) {
		t.Fatalf("StopExecution of %s: %s", name, a.raw)
	}
	// A name that is no execution's name at all is still refused, naming it.
	if a := do("DescribeExecution", "FlowName", "std-wait", "ExecutionName", "no spaces"); a.str("Code") != fnf.CodeInvalidArgument {
		t.Fatalf("DescribeExecution of %q: %s", "no spaces", a.raw)
	}
}
