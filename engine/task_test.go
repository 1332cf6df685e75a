package engine

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

const taskMocks = `
Flows:
  t:
    TestCases:
      Default: { Charge: Charged }
      Declined: { Charge: Declined }
      Echo: { Charge: Charged }
MockedResponses:
  Charged:  { "0": { Return: { charged: true, amount: 12.5, lines: [1, 2] } } }
  Declined: { "0": { Throw: { Code: Card.Declined, Detail: insufficient funds } } }
`

const chargeFlow = `
- Type: Task
  Name: Charge
  Action: FC:InvokeFunction
  Parameters:
    resourceArn: acs:fc:cn-hangzhou:123456789:functions/charge
    invocationType: Sync
    body:
      orderId.$: $Input.id
      fixed: yes
  End: true`

func TestTaskMockReturnIsTheTaskOutput(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, taskMocks)}
	res := run(t, r, flow("Charge", chargeFlow), `{"id":"A-1"}`)
	wantOutput(t, res, `{"charged":true,"amount":12.5,"lines":[1,2]}`)
}

func TestTaskMockThrowFailsTheRunWithItsCodeAndDetail(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, taskMocks)}
	res := runCase(t, r, flow("Charge", chargeFlow), `{"id":"A-1"}`, "Declined")
	wantError(t, res, fnf.StatusFailed, "Card.Declined", "insufficient funds")
}

func TestTaskMockIsNotChangedByARun(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, taskMocks)}
	src := flow("Charge", `
- Type: Task
  Name: Charge
  Action: ECS:DescribeInstances
  OutputConstructor:
    amount.$: $Output.amount * 2
  End: true`)
	for range 2 {
		wantOutput(t, run(t, r, src, `{}`), `{"amount":25}`)
	}
}

func TestUnmockedTaskFailsNamingTheStateAndActionAndIsNotCaught(t *testing.T) {
	src := flow("Charge", `
- Type: Task
  Name: Charge
  Action: MNS:SendMessage
  Parameters:
    resourceArn: acs:mns:cn-hangzhou:123456789:/queues/orders/messages
    message.$: $Input
  Retry:
    - Errors: [FnF.ALL]
      MaxAttempts: 3
      IntervalSeconds: 1
  Catch:
    - Errors: [FnF.ALL]
      Next: Handled
  End: true
- Type: Pass
  Name: Handled
  End: true`)
	res := run(t, nil, src, `{}`)
	wantError(t, res, fnf.StatusFailed, CodeNotMocked, `"Charge"`, "MNS:SendMessage", "--mocks")
	wantStates(t, res, "Charge") // one attempt, no retry, no catch
}

func TestUnmockedTaskInsideAParallelIsNotCaughtEither(t *testing.T) {
	src := flow("Par", `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: Send
      States:
        - Type: Task
          Name: Send
          Action: MNS:SendMessage
          Parameters: { resourceArn: "acs:mns:cn-hangzhou:123456789:/queues/orders/messages", message: hi }
          End: true
  Catch:
    - Errors: [FnF.ALL]
      Next: Handled
  End: true
- Type: Pass
  Name: Handled
  End: true`)
	wantError(t, run(t, nil, src, `{}`), fnf.StatusFailed, CodeNotMocked, `"Send"`)
}

// echoServer records the request it gets and answers with status and body.
func echoServer(t *testing.T, status int, body string) (*httptest.Server, *http.Request, *[]byte) {
	t.Helper()
	var got http.Request
	var gotBody []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = *r.Clone(r.Context())
		gotBody, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Reply", "r1")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, &got, &gotBody
}

func httpFlow(url string) string {
	return flow("Call", `
- Type: Task
  Name: Call
  Action: HTTP:Request
  Parameters:
    method: post
    url: `+url+`/orders?page=2
    headers:
      X-Trace.$: $Input.trace
    body:
      id.$: $Input.id
  End: true`)
}

func TestHTTPRequestTaskIsReallyPerformedWhenNotMocked(t *testing.T) {
	srv, got, gotBody := echoServer(t, 200, `{"ok":true,"n":3}`)
	r := &Runner{HTTP: srv.Client()}
	res := run(t, r, httpFlow(srv.URL), `{"trace":"tr-9","q":"tea cup","id":"A-1"}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status = %s: %s %s", res.Status, res.ErrorCode, res.ErrorMessage)
	}
	if got.Method != "POST" || got.URL.Path != "/orders" {
		t.Errorf("request = %s %s; want POST /orders", got.Method, got.URL.Path)
	}
	if q := got.URL.Query(); q.Get("page") != "2" {
		t.Errorf("query = %v; want page=2", q)
	}
	if got.Header.Get("X-Trace") != "tr-9" || got.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v; want X-Trace tr-9 and a JSON Content-Type", got.Header)
	}
	if !jsonEqual(t, string(*gotBody), `{"id":"A-1"}`) {
		t.Errorf("body = %s; want {\"id\":\"A-1\"}", *gotBody)
	}
	var out struct {
		Code   int
		Header map[string]string
		Body   map[string]any
	}
	if err := json.Unmarshal([]byte(res.Output), &out); err != nil {
		t.Fatalf("output %s: %v", res.Output, err)
	}
	if out.Code != 200 || out.Header["X-Reply"] != "r1" || out.Body["ok"] != true || out.Body["n"] != 3.0 {
		t.Errorf("output = %s; want Code 200, the Header and the decoded JSON body", res.Output)
	}
}

func TestHTTPRequestAnswerThatIsNotJSONIsKeptAsText(t *testing.T) {
	srv, _, _ := echoServer(t, 201, `plain words`)
	res := run(t, &Runner{HTTP: srv.Client()}, httpFlow(srv.URL), `{}`)
	if res.Status != fnf.StatusSucceeded || !strings.Contains(res.Output, `"Body":"plain words"`) {
		t.Errorf("Status %s, Output %s; want the body as a string", res.Status, res.Output)
	}
}

func TestHTTPRequestAnswered500FailsWithHTTP500AndCanBeCaught(t *testing.T) {
	srv, _, _ := echoServer(t, 500, `{"error":"boom"}`)
	r := &Runner{HTTP: srv.Client()}
	res := run(t, r, httpFlow(srv.URL), `{}`)
	wantError(t, res, fnf.StatusFailed, "HTTP.500", `"Call"`, "boom")

	caught := flow("Call", `
- Type: Task
  Name: Call
  Action: HTTP:Request
  Parameters:
    url: `+srv.URL+`
  Catch:
    - Errors: [HTTP.500]
      Next: Fallback
      OutputConstructor:
        code.$: $Context.Current.Error.Code
  End: true
- Type: Pass
  Name: Fallback
  End: true`)
	wantOutput(t, run(t, r, caught, `{}`), `{"code":"HTTP.500"}`)
}

func TestHTTPRequestToAClosedPortFailsWithTaskFailed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	res := run(t, nil, httpFlow(url), `{}`)
	wantError(t, res, fnf.StatusFailed, CodeTaskFailed, `"Call"`)
}

// blockingTransport answers no request: it waits for the request's context,
// which a Task Timeout ends.
type blockingTransport struct{}

func (blockingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestTaskTimeoutFailsWithFnFTimeoutAfterExactlyThatTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("Call", `
- Type: Task
  Name: Call
  Action: HTTP:Request
  Timeout: 4
  Parameters:
    url: http://127.0.0.1:1/slow
  End: true`)
		res := run(t, &Runner{HTTP: &http.Client{Transport: blockingTransport{}}}, src, `{}`)
		wantError(t, res, fnf.StatusFailed, CodeTimeout, `"Call"`)
		if d := res.Stopped.Sub(res.Started); d != 4*time.Second {
			t.Errorf("run took %v; want the Task's 4 s Timeout", d)
		}
	})
}

func TestTaskParametersSeeInputAndBecomeTheRequest(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewDecoder(r.Body).Decode(&got)
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	src := flow("Call", `
- Type: Task
  Name: Call
  Action: HTTP:Request
  Parameters:
    method: PUT
    url: `+srv.URL+`
    body:
      total.$: $Input.price * $Input.qty
      who.$: $Context.Current.Name
      plain: $Input.price
  End: true`)
	res := run(t, &Runner{HTTP: srv.Client()}, src, `{"price":2.5,"qty":4}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("Status %s: %s", res.Status, res.ErrorMessage)
	}
	if got["total"] != 10.0 || got["who"] != "Call" || got["plain"] != "$Input.price" {
		t.Errorf("server got %v; want total 10, who Call, plain literal", got)
	}
}

// A Task Timeout longer than the default HTTP bound is honoured: the default
// applies only to Tasks without a Timeout, and through the context, so a
// shared client does not cut longer Tasks.
func TestHTTPRequestTaskTimeoutLongerThanTheDefaultIsHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := &State{Name: "Slow", Timeout: 2 * httpTimeout}
		r := &Runner{HTTP: &http.Client{Transport: waitUntilCancelled{}}}
		x := &execution{r: r}
		start := time.Now()
		_, ferr := x.task(context.Background(), &State{Name: st.Name, Action: ActionHTTP, Timeout: st.Timeout},
			map[string]any{"url": "http://example.invalid/slow"}, map[string]any{})
		if ferr == nil || ferr.Code != CodeTimeout {
			t.Fatalf("got %v, want %s", ferr, CodeTimeout)
		}
		if got := time.Since(start); got != 2*httpTimeout {
			t.Fatalf("timed out after %v, want the Task's %v", got, 2*httpTimeout)
		}
	})
}

// waitUntilCancelled answers nothing until the request's context ends.
type waitUntilCancelled struct{}

func (waitUntilCancelled) RoundTrip(r *http.Request) (*http.Response, error) {
	<-r.Context().Done()
	return nil, r.Context().Err()
}

func TestTheRunsTimeLimitDuringAnHTTPRequestIsTheRunsTimeout(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer srv.Close()
	src := flow("Call", `
- Type: Task
  Name: Call
  Action: HTTP:Request
  Parameters:
    url: `+srv.URL+`
  End: true`)
	res := run(t, &Runner{Limit: 300 * time.Millisecond}, src, `{}`)
	// Not the Task's own timeout (60 s by default): the run's limit.
	wantError(t, res, fnf.StatusTimedOut, CodeTimeout, "time limit of 300ms")
}
