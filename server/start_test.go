package server

import (
	"context"
	"errors"
	"testing"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// A refused StartSyncExecution reads the same from flowtui serve as from the
// local engine the TUI runs on: same code, same status, same words.
func TestServeAndTheLocalEngineRefuseAStartInTheSameWords(t *testing.T) {
	opts := engineOpts(flowDir(t, map[string]string{"std.yaml": standardFlowFile, "broken.yaml": brokenFlowFile}))
	ts := start(t, Config{Local: opts})
	local, err := engine.NewLocal(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []fnf.SyncRequest{
		{FlowName: "order-routing", ExecutionName: "has space"},
		{FlowName: "order-routing", Input: "{\n  \"a\": tru\n}"},
		{FlowName: "order-routing", Input: "[1]"},
		{FlowName: "order-routing", Input: "{\"a\":\"\xff\"}"},
		{FlowName: "nope"},
		{FlowName: "broken"},
		{FlowName: "std"},
		{FlowName: "charge-with-retry", TestCase: "Nope"},
	} {
		_, err := local.StartSyncExecution(context.Background(), req)
		var want *fnf.APIError
		if !errors.As(err, &want) {
			t.Fatalf("local %+v: %v; want an API error", req, err)
		}
		params := []string{"FlowName", req.FlowName}
		if req.ExecutionName != "" {
			params = append(params, "ExecutionName", req.ExecutionName)
		}
		if req.Input != "" {
			params = append(params, "Input", req.Input)
		}
		c := call{action: "StartSyncExecution", params: params}
		if req.TestCase != "" {
			c.header = map[string]string{fnf.TestCaseHeader: req.TestCase}
		}
		a := ts.do(t, c)
		if a.status != want.HTTPStatus || a.str("Code") != want.Code || a.str("Message") != want.Message {
			t.Errorf("%+v:\nserve %d %s %q\nlocal %d %s %q", req, a.status, a.str("Code"), a.str("Message"), want.HTTPStatus, want.Code, want.Message)
		}
	}
}
