package server

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"

	"github.com/flowtui/flowtui/fnf"
)

// The official Go SDK of fnf (github.com/alibabacloud-go/fnf-20190315) is a
// thin layer over darabonba-openapi's CallApi: for each action it fixes the
// Params below and puts each parameter in the query or the form body, then
// signs V2 (its Init sets SignatureAlgorithm "v2"). These tests make the
// same calls through the same transport, so that what the SDK sends is what
// the server is tested with.
func sdkClient(t *testing.T, ts *testServer, signature string) *openapi.Client {
	t.Helper()
	// darabonba resolves credentials with credentials-go: never the
	// instance-metadata service.
	t.Setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
	c, err := openapi.NewClient(&openapi.Config{
		AccessKeyId: dara.String(testKeyID), AccessKeySecret: dara.String(testSecret),
		Endpoint: dara.String(ts.host), Protocol: dara.String("HTTP"), RegionId: dara.String("cn-hangzhou"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if signature == "v2" {
		c.SignatureAlgorithm = dara.String("v2") // as the fnf SDK's Init does
	}
	return c
}

// sdkCall calls an action with the SDK's Params: reads are GET with every
// parameter in the query, writes POST with a form body (and ReportTask*'s
// TaskToken in the query).
func sdkCall(c *openapi.Client, sc stdCall) (map[string]any, error) {
	req := &openapi.OpenApiRequest{Query: map[string]*string{}, Headers: map[string]*string{}}
	strs := func(kv []string) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	for k, v := range strs(sc.query) {
		req.Query[k] = dara.String(v.(string))
	}
	if sc.method == http.MethodGet {
		for k, v := range strs(sc.params) {
			req.Query[k] = dara.String(v.(string))
		}
	} else {
		req.Body = strs(sc.params)
	}
	for k, v := range sc.header {
		req.Headers[k] = dara.String(v)
	}
	params := &openapi.Params{
		Action: dara.String(sc.action), Version: dara.String(fnf.APIVersion), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String(sc.method), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	res, err := c.CallApi(params, req, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	body, _ := res["body"].(map[string]any)
	return body, nil
}

func TestTheOfficialGoTransportCallsEveryStandardAction(t *testing.T) {
	ts := start(t, Config{})
	f := ts.useFake(newFake())
	f.regions = []fnf.Region{{RegionId: "local", RegionEndpoint: ts.host, LocalName: "flowtui serve"}}
	f.page = fnf.ExecutionPage{Executions: []fnf.ExecutionDetail{f.detail}, NextToken: "p2"}
	f.events = fnf.EventPage{Events: []fnf.Event{{EventId: 1, Type: fnf.EventExecutionStarted, Time: "2026-01-02T03:04:05.006Z", EventDetail: "{}"}}}
	for _, sig := range []string{"v2", "v3"} {
		c := sdkClient(t, ts, sig)
		for _, sc := range sdkCalls(t) {
			t.Run(sig+" "+sc.action, func(t *testing.T) {
				body, err := sdkCall(c, sc)
				if err != nil {
					t.Fatalf("%s: %v", sc.action, err)
				}
				if got := f.last(t); !reflect.DeepEqual(got, sc.want) {
					t.Fatalf("the executions got\n%#v\nwant\n%#v", got, sc.want)
				}
				if body["RequestId"] == nil {
					t.Fatalf("no RequestId in %v", body)
				}
				switch sc.action {
				case "StartExecution", "DescribeExecution", "StopExecution":
					if body["Name"] != "e1" || body["FlowName"] != "std" {
						t.Fatalf("%v", body)
					}
				case "ListExecutions":
					if ex, _ := body["Executions"].([]any); len(ex) != 1 || body["NextToken"] != "p2" {
						t.Fatalf("%v", body)
					}
				case "GetExecutionHistory":
					if ev, _ := body["Events"].([]any); len(ev) != 1 {
						t.Fatalf("%v", body)
					}
				case "DescribeRegions":
					regions, _ := body["Regions"].(map[string]any)
					if list, _ := regions["Region"].([]any); len(list) != 1 || list[0].(map[string]any)["RegionId"] != "local" {
						t.Fatalf("%v", body)
					}
				}
			})
		}
		// A refusal reaches the SDK's caller as the SDK's error, with the
		// service's code, status and message.
		t.Run(sig+" refusal", func(t *testing.T) {
			f.err = &fnf.APIError{HTTPStatus: http.StatusNotFound, Code: fnf.CodeExecutionNotExists, Message: `execution "e9" does not exist`}
			defer func() { f.err = nil }()
			_, err := sdkCall(c, stdCall{action: "DescribeExecution", method: http.MethodGet, params: []string{"FlowName", "std", "ExecutionName", "e9"}})
			var se *tea.SDKError
			if !errors.As(err, &se) || dara.StringValue(se.Code) != fnf.CodeExecutionNotExists ||
				dara.IntValue(se.StatusCode) != http.StatusNotFound || !strings.Contains(dara.StringValue(se.Message), `"e9"`) {
				t.Fatalf("the SDK's error: %T %v", err, err)
			}
		})
	}
}
