package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestEveryDemoFlowRunsItsSampleInputToSucceeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocal(t, LocalOptions{Demos: true})
		flows, err := l.ListFlows(context.Background())
		if err != nil || len(flows) < 6 {
			t.Fatalf("ListFlows = %d flows, %v; want the demo flows", len(flows), err)
		}
		t.Cleanup(func() { l.Close(context.Background(), "test over") })
		for _, f := range flows {
			if f.Error != "" || f.SampleInput == "" || f.Description == "" {
				t.Errorf("demo %s: %+v; want a described flow with a SampleInput and no error", f.Name, f)
				continue
			}
			if f.ExecutionMode == fnf.ModeStandard {
				if d := runApproval(t, l, f.Name, f.SampleInput); d.Status != fnf.StatusSucceeded {
					t.Errorf("demo %s: %+v", f.Name, d)
				}
				continue
			}
			res := start(t, l, fnf.SyncRequest{FlowName: f.Name, Input: f.SampleInput})
			if res.Status != fnf.StatusSucceeded {
				t.Errorf("demo %s: %s %s: %s", f.Name, res.Status, res.ErrorCode, res.ErrorMessage)
			}
		}
	})
}

// runApproval starts a Standard demo flow and approves its callback task
// with the token of its TaskSubmitted event, as a user of `flowtui
// executions report` would.
func runApproval(t *testing.T, l *Local, flow, input string) fnf.ExecutionDetail {
	t.Helper()
	ctx := context.Background()
	d, err := l.StartExecution(ctx, fnf.StartRequest{FlowName: flow, Input: input})
	if err != nil {
		t.Fatalf("StartExecution %s: %v", flow, err)
	}
	time.Sleep(time.Hour) // past its Wait, into the callback task
	ev, err := fnf.AllEvents(ctx, l, fnf.HistoryRequest{FlowName: flow, ExecutionName: d.Name})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ev {
		if e.Type == fnf.EventTaskSubmitted {
			token := e.EventDetail[len(`{"TaskToken":"`) : len(e.EventDetail)-2]
			if err := l.ReportTaskSucceeded(ctx, fnf.ReportRequest{TaskToken: token, Output: `{"approvedBy":"ops"}`}); err != nil {
				t.Fatal(err)
			}
		}
	}
	d, err = l.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: flow, ExecutionName: d.Name, Wait: fnf.MaxDescribeWait})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestDemoRefundApprovalWaitsThenWaitsForItsApproval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocal(t, LocalOptions{Demos: true})
		t.Cleanup(func() { l.Close(context.Background(), "test over") })
		d := runApproval(t, l, "refund-approval", `{"refundId":"R-1","amount":5}`)
		if d.Status != fnf.StatusSucceeded || !jsonEqual(t, d.Output, `{"refundId":"R-1","refunded":5,"approvedBy":"ops"}`) {
			t.Errorf("= %+v", d)
		}
	})
}

func TestDemoBuiltinTourComputesEveryFunction(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	f, _ := l.DescribeFlow(context.Background(), "builtin-tour")
	res := start(t, l, fnf.SyncRequest{FlowName: "builtin-tour", Input: f.SampleInput})
	wantOutput(t, &Result{Status: res.Status, Output: res.Output}, `{
		"greeting": "hello Tom",
		"md5": "d9ffaca46d5990ec39501bcdf22ee7a1",
		"decoded": "FnF",
		"merged": {"age": 10, "name": "Tom"},
		"uniqueTags": ["tea", "cup"],
		"likesTea": true,
		"tagCount": 3,
		"columns": ["a", "b", "c"],
		"looksLikeAName": true,
		"profileKeys": ["age"]
	}`)
}

func TestDemoChargeWithRetryRetriesTheTimeoutOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocal(t, LocalOptions{Demos: true})
		res := start(t, l, fnf.SyncRequest{FlowName: "charge-with-retry", Input: `{"orderId":"A-1","amount":5}`})
		wantOutput(t, &Result{Status: res.Status, Output: res.Output}, `{"orderId":"A-1","chargeId":"ch_7f3a91","charged":true}`)
		if d, _ := res.Duration(); d != time.Second {
			t.Errorf("run took %v; want the 1 s retry interval", d)
		}
	})
}

func TestDemoChargeWithRetryDeclinedIsCaught(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	res := start(t, l, fnf.SyncRequest{FlowName: "charge-with-retry", Input: `{"orderId":"A-1","amount":5}`, TestCase: "Declined"})
	wantOutput(t, &Result{Status: res.Status, Output: res.Output},
		`{"orderId":"A-1","status":"declined","message":"payment declined: insufficient funds"}`)
}

func TestDemoOrderRoutingFailsForCountriesNotServed(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	res := start(t, l, fnf.SyncRequest{FlowName: "order-routing", Input: `{"orderId":"A-1","total":50,"country":"US"}`})
	if res.Status != fnf.StatusFailed || res.ErrorCode != "Order.CountryNotServed" || res.Output != "" {
		t.Errorf("run = %s %s %q; want Failed Order.CountryNotServed", res.Status, res.ErrorCode, res.Output)
	}
}

func TestDemoOrderRoutingRoutesByAmountAndCountry(t *testing.T) {
	l := newLocal(t, LocalOptions{Demos: true})
	for input, route := range map[string]string{
		`{"orderId":"A","total":5000,"country":"CN"}`: "manual-review",
		`{"orderId":"A","total":200,"country":"JP"}`:  "express-shipping",
		`{"orderId":"A","total":200,"country":"CN"}`:  "standard",
	} {
		res := start(t, l, fnf.SyncRequest{FlowName: "order-routing", Input: input})
		if !strings.Contains(res.Output, `"route":"`+route+`"`) {
			t.Errorf("%s → %s %s; want route %s", input, res.Status, res.Output, route)
		}
	}
}

func TestUserMocksAddTestCasesBesideTheDemoMocks(t *testing.T) {
	user := mustMocks(t, `
Flows:
  mine:
    TestCases:
      Happy: { Call: OK }
MockedResponses:
  OK: { "0": { Return: { ok: 1 } } }
`)
	l := newLocal(t, LocalOptions{Demos: true, Mocks: user})
	if got := l.TestCases("mine"); len(got) != 1 || got[0] != "Happy" {
		t.Errorf("TestCases(mine) = %v; want [Happy]", got)
	}
	if got := l.TestCases("charge-with-retry"); len(got) != 2 {
		t.Errorf("TestCases(charge-with-retry) = %v; want the demo's two", got)
	}
}

func TestCancellingALocalRunStopsWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLocal(t, LocalOptions{Demos: true})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := l.StartSyncExecution(ctx, fnf.SyncRequest{FlowName: "wait-then-go", Input: `{"orderId":"A","seconds":10}`})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v; want the caller's deadline", err)
		}
	})
}
