package engine

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

// Each integration page's own example loads as written.
func TestEveryIntegrationPagesExampleLoads(t *testing.T) {
	examples := []struct{ page, task string }{
		// https://help.aliyun.com/document_detail/2400200.html (Function Compute)
		{"FC", "Action: FC:InvokeFunction\n  TaskMode: RequestComplete\n  Parameters:\n    resourceArn: acs:fc:::services/myService1.LATEST/functions/myFunction1\n    invocationType: Sync\n    body:\n      testKey: value"},
		// https://help.aliyun.com/document_detail/2593203.html (HTTP): the page writes the method "Get"
		{"HTTP", "Action: HTTP:Request\n  TaskMode: RequestComplete\n  Parameters:\n    url: https://www.example.com\n    method: Get"},
		// https://help.aliyun.com/en/document_detail/2400188.html (CloudFlow child flows)
		{"FNF", "Action: FNF:StartExecution\n  TaskMode: RequestComplete\n  Parameters:\n    resourceArn: acs:fnf:cn-hangzhou::flow/test-workflow\n    executionName: theExecutionName\n    input:\n      key: value1"},
		// https://help.aliyun.com/document_detail/2593184.html (Simple Message Queue, formerly MNS)
		{"MNS", "Action: MNS:SendMessage\n  TaskMode: RequestComplete\n  Parameters:\n    resourceArn: acs:mns:cn-hangzhou:1231231:/queues/fnf-mns-queues/messages\n    message:\n      body: ok\n    priority: 1\n    delaySeconds: 10\n    messageTag: aaa\n    messageAttributes:\n      MailAttributes:\n        Subject: subject"},
		// https://help.aliyun.com/en/document_detail/2400202.html (EventBridge)
		{"EventBridge", "Action: EventBridge:PutEvents\n  TaskMode: RequestComplete\n  Parameters:\n    id: xxxxx-xxxx-xxxx-xxxx\n    type: aliyuncvc:MeetingEvent:MemberOperate\n    eventBusName: fnf-eb-bus\n    subject: test-subject\n    source: test-source\n    data:\n      eventContent:\n        key1: val1"},
		// https://help.aliyun.com/document_detail/2573663.html (OSS)
		{"OSS", "Action: OSS:GetObject\n  TaskMode: RequestComplete\n  Parameters:\n    region: cn-hangzhou\n    bucket: thebucketname\n    key: fileKey\n    versionId: CAEQMxiBgMCZov2D0BYiIDY4MDllOTc2YmY5MjQxMzdiOGI3OTlhNTU0ODIx\n    range: 1024-\n    ifMatch: fba9dede5f27731c9771645a3986\n    ifNoneMatch: 5B3C1A2E0563E1B002CC607C"},
		// https://help.aliyun.com/document_detail/2619166.html (Short Message Service)
		{"SMS", "Action: SMS:SendSms\n  TaskMode: RequestComplete\n  Parameters:\n    phoneNumbers: \"1505818****\"\n    signName: the****\n    templateCode: SMS_463******\n    templateParam:\n      code: 12345678"},
		// https://www.alibabacloud.com/help/en/serverless-workflow/latest/task-task: any
		// OpenAPI operation, <ServiceName>:<APIOperation>, e.g. ECS:DescribeInstances
		{"normal integration", "Action: ECS:DescribeInstances\n  Parameters:\n    RegionId: cn-hangzhou"},
	}
	for _, ex := range examples {
		t.Run(ex.page, func(t *testing.T) {
			mustParse(t, flow("T", "- Type: Task\n  Name: T\n  "+ex.task+"\n  End: true"))
		})
	}
}

// https://www.alibabacloud.com/help/en/serverless-workflow/latest/task-task:
// Action is <ServiceName>:<APIOperation>. A name that misspells a documented
// action, or is not of that form, is refused at the Action with the nearest
// documented name; a normal integration (ECS:DescribeInstances) is not.
func TestAnUnknownActionIsRefusedAtItsPlaceWithTheNearestKnownName(t *testing.T) {
	tests := []struct{ action, want string }{
		{"FC:InvokeFuntion", `unknown Action "FC:InvokeFuntion"; did you mean "FC:InvokeFunction"?`},
		{"fc:invokeFunction", `did you mean "FC:InvokeFunction"?`},
		{"HTTP:Requests", `did you mean "HTTP:Request"?`},
		{"InvokeFunction", `not of the form <Service>:<Operation>; did you mean "FC:InvokeFunction"?`},
		{"Fc:GetFunction", "the service is spelled FC"},
		{"Mns:PublishMessage", "the service is spelled MNS"},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(flow("T", "- Type: Task\n  Name: T\n  Action: "+tt.action+"\n  End: true")))
			ps := problems(t, err)
			if len(ps) != 1 || ps[0].Pos != (Pos{8, 13}) || ps[0].State != "T" || !strings.Contains(ps[0].Msg, tt.want) {
				t.Fatalf("problems = %v; want one at 8:13 on state T saying %q", ps, tt.want)
			}
		})
	}
}

// A normal integration loads, and with no mock fails naming the action, as
// every Task but HTTP:Request does.
func TestANormalIntegrationNeedsAMockAndNamesItsAction(t *testing.T) {
	src := flow("T", "- Type: Task\n  Name: T\n  Action: ECS:DescribeInstances\n  End: true")
	wantError(t, run(t, nil, src, `{}`), fnf.StatusFailed, CodeNotMocked, `"T"`, "ECS:DescribeInstances")
	src = flow("T", "- Type: Task\n  Name: T\n  Action: FC:InvokeFunction\n  Parameters: { resourceArn: f, invocationType: Sync }\n  End: true")
	wantError(t, run(t, nil, src, `{}`), fnf.StatusFailed, CodeNotMocked, `"T"`, "FC:InvokeFunction")
}

// The parameter tables of the integration pages: required parameters must be
// given (literally or as "name.$"), unknown ones are refused with the
// nearest, and a literal invocationType or method is one the page lists.
func TestTaskParametersAreCheckedAgainstTheActionsPage(t *testing.T) {
	task := func(action, params string) string {
		return flow("T", "- Type: Task\n  Name: T\n  Action: "+action+"\n  Parameters:\n"+params+"  End: true")
	}
	tests := []struct {
		name, src string
		pos       Pos
		want      string
	}{
		// https://help.aliyun.com/document_detail/2400200.html: resourceArn and invocationType are required
		{"FC without invocationType", task("FC:InvokeFunction", "    resourceArn: f\n"),
			Pos{10, 7}, "FC:InvokeFunction needs Parameters.invocationType"},
		{"FC with a misspelt parameter", task("FC:InvokeFunction", "    resourceArn: f\n    invocationType: Sync\n    Body: {}\n"),
			Pos{12, 7}, `unknown key "Body" in the Parameters of FC:InvokeFunction; did you mean "body"?`},
		{"FC invocationType outside Sync and Async", task("FC:InvokeFunction", "    resourceArn: f\n    invocationType: Synchronous\n"),
			Pos{11, 23}, `Parameters.invocationType is "Synchronous"; want one of Sync, Async`},
		// https://help.aliyun.com/document_detail/2593203.html: url, method, body, headers
		{"HTTP with the URL spelt in capitals", task("HTTP:Request", "    URL: https://example.com\n"),
			Pos{10, 7}, `did you mean "url"?`},
		{"HTTP method not on the page", task("HTTP:Request", "    url: https://example.com\n    method: TRACE\n"),
			Pos{11, 15}, `want one of GET, POST, PATCH, PUT, DELETE, HEAD`},
		{"HTTP query is not a documented parameter", task("HTTP:Request", "    url: https://example.com\n    query: { a: 1 }\n"),
			Pos{11, 7}, `unknown key "query" in the Parameters of HTTP:Request, which takes`},
		// Chosen where the tables do not say: MNS:SendMessage needs a message
		// (https://help.aliyun.com/document_detail/2593184.html), EventBridge:PutEvents
		// a bus (https://help.aliyun.com/en/document_detail/2400202.html).
		{"MNS without a message", task("MNS:SendMessage", "    resourceArn: acs:mns:cn-hangzhou:1:/queues/q/messages\n"),
			Pos{10, 7}, "MNS:SendMessage needs Parameters.message"},
		{"EventBridge without a bus", task("EventBridge:PutEvents", "    source: s\n"),
			Pos{10, 7}, "EventBridge:PutEvents needs Parameters.eventBusName"},
		// https://help.aliyun.com/document_detail/2573663.html: bucket and key are required
		{"OSS without key", task("OSS:GetObject", "    bucket.$: $Input.bucket\n"),
			Pos{10, 7}, "OSS:GetObject needs Parameters.key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("flow.yaml", []byte(tt.src))
			ps := problems(t, err)
			if len(ps) != 1 || ps[0].Pos != tt.pos || !strings.Contains(ps[0].Msg, tt.want) {
				t.Fatalf("problems = %v; want one at %v saying %q", ps, tt.pos, tt.want)
			}
		})
	}
	// No Parameters at all: each required one is named, at the Action.
	_, err := Parse("flow.yaml", []byte(flow("T", "- Type: Task\n  Name: T\n  Action: SMS:SendSms\n  End: true")))
	ps := problems(t, err)
	if len(ps) != 3 || ps[0].Pos != (Pos{8, 13}) || !strings.Contains(ps[2].Msg, "Parameters.templateCode") {
		t.Fatalf("problems = %v; want phoneNumbers, signName and templateCode named at the Action", ps)
	}
	// Expressions count as given; their values are known only at run time.
	mustParse(t, task("FC:InvokeFunction", "    resourceArn.$: $Input.fn\n    invocationType.$: $Input.mode\n    body.$: $Input\n"))
}

const shapeMocks = `
Flows:
  t:
    TestCases:
      Default: { T: Payload }
      Raw: { T: Raw }
MockedResponses:
  Payload: { "0": { Result: { chargeId: ch_1, amount: 12345678901234567890 } } }
  Raw:     { "0": { Return: { chargeId: ch_1 } } }
`

// A mock's Result is the service's payload, placed where the cloud's answer
// carries it, so that a flow reading $Output as the cloud shapes it runs the
// same locally. FC:InvokeFunction's result holds the function's output under
// Body: the global variables page's own pattern is `myVar.$: $Output.Body`
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/global-io).
// HTTP:Request answers {"Header", "Code", "Body"}
// (https://help.aliyun.com/document_detail/2593203.html), SMS:SendSms
// {"EntryList", "Headers"} (https://help.aliyun.com/document_detail/2619166.html).
// Return is the answer verbatim, as before.
func TestAMocksResultIsShapedAsTheActionsDocumentedAnswer(t *testing.T) {
	r := &Runner{Mocks: mustMocks(t, shapeMocks)}
	task := func(action, params string) string {
		return flow("T", "- Type: Task\n  Name: T\n  Action: "+action+"\n  Parameters: "+params+"\n  End: true")
	}
	fc := task("FC:InvokeFunction", "{ resourceArn: f, invocationType: Sync }")
	payload := `{"chargeId":"ch_1","amount":12345678901234567890}`
	wantOutput(t, run(t, r, fc, `{}`), `{"Body":`+payload+`}`)
	wantOutput(t, runCase(t, r, fc, `{}`, "Raw"), `{"chargeId":"ch_1"}`)
	wantOutput(t, run(t, r, task("HTTP:Request", "{ url: 'https://pay.example.com' }"), `{}`),
		`{"Code":200,"Header":{},"Body":`+payload+`}`)
	wantOutput(t, run(t, r, task("SMS:SendSms", "{ phoneNumbers: '1390000', signName: s, templateCode: SMS_1 }"), `{}`),
		`{"EntryList":`+payload+`,"Headers":{}}`)
	// Actions whose answer is the payload itself, and normal integrations.
	wantOutput(t, run(t, r, task("OSS:GetObject", "{ bucket: b, key: k }"), `{}`), payload)
	wantOutput(t, run(t, r, task("ECS:DescribeInstances", "{}"), `{}`), payload)

	// The documented pattern reads the function's output through Body.
	src := flow("T", `
- Type: Task
  Name: T
  Action: FC:InvokeFunction
  Parameters: { resourceArn: f, invocationType: Sync }
  OutputConstructor:
    id.$: $Output.Body.chargeId
  End: true`)
	wantOutput(t, run(t, r, src, `{}`), `{"id":"ch_1"}`)
}

func TestAMockedAttemptGivesOneOfReturnResultAndThrow(t *testing.T) {
	_, err := ParseMocks("mocks.yaml", []byte("MockedResponses:\n  R:\n    \"0\": { Return: 1, Result: 2 }\n"))
	ps := problems(t, err)
	if len(ps) != 1 || ps[0].Pos != (Pos{3, 10}) || !strings.Contains(ps[0].Msg, "give one of Return") || !strings.Contains(ps[0].Msg, "Result") {
		t.Fatalf("problems = %v; want one at 3:10 asking for one of Return, Result or Throw", ps)
	}
}
