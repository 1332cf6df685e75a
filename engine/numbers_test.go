package engine

import (
	"strings"
	"testing"
	"testing/synctest"
)

// bigInput holds integers at and beyond 2^53 and 2^64, and decimals written
// in ways float64 would rewrite.
const bigInput = `{"at":9007199254740992,"id":9007199254740993,"neg":-9007199254740993,` +
	`"u64":18446744073709551617,"huge":123456789012345678901234567890,` +
	`"one":1.0,"price":12.50,"exp":1E+2,"order":12345678901234567890}`

// wantExactOutput checks the output text itself: comparing decoded values
// would round the very digits under test.
func wantExactOutput(t *testing.T, res *Result, want string) {
	t.Helper()
	if res.Status != "Succeeded" {
		t.Fatalf("Status = %s (%s: %s); want Succeeded", res.Status, res.ErrorCode, res.ErrorMessage)
	}
	if res.Output != want {
		t.Errorf("Output = %s\nwant     %s", res.Output, want)
	}
}

// Numbers pass through every state type with the digits they came with: the
// pages on inputs and outputs (https://help.aliyun.com/document_detail/2402077.html),
// data transfer (https://alibabacloud.com/help/en/serverless-workflow/latest/data-transfer)
// and the Pass state (https://www.alibabacloud.com/help/en/serverless-workflow/latest/pass-pass)
// hand JSON on as it is; none of them rounds it.
func TestNumbersPassThroughEveryStateTypeUnchanged(t *testing.T) {
	const same = `{"at":9007199254740992,"exp":1E+2,"huge":123456789012345678901234567890,"id":9007199254740993,"neg":-9007199254740993,"one":1.0,"order":12345678901234567890,"price":12.50,"u64":18446744073709551617}`
	tests := []struct{ name, states, want string }{
		{"Pass without constructors", `
- Type: Pass
  Name: P
  End: true`, same},
		{"Succeed", `
- Type: Succeed
  Name: S`, same},
		{"Choice, Wait and Succeed", `
- Type: Choice
  Name: C
  Branches:
    - Condition: $Input.id == 9007199254740992
      Next: Wrong
  Default: W
- Type: Wait
  Name: W
  Seconds: 1
  Next: S
- Type: Succeed
  Name: S
- Type: Fail
  Name: Wrong
  Code: Rounded`, same},
		{"Parallel fan-out", `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: A
      States:
        - Type: Pass
          Name: A
          End: true
    - StartAt: B
      States:
        - Type: Pass
          Name: B
          OutputConstructor:
            id.$: $Input.id
            order.$: $Input.order
          End: true
  End: true`, `{"Branch0":` + same + `,"Branch1":{"id":9007199254740993,"order":12345678901234567890}}`},
		{"Map over the values", `
- Type: Map
  Name: M
  ItemsPath: '[$Input.id, $Input.u64, $Input.one, $Input.huge]'
  Processor:
    StartAt: I
    States:
      - Type: Pass
        Name: I
        End: true
  End: true`, `{"Items":[9007199254740993,18446744073709551617,1.0,123456789012345678901234567890]}`},
		{"constructors", `
- Type: Pass
  Name: P
  InputConstructor:
    in.$: $Input
  OutputConstructor:
    id.$: $Input.in.id
    ids.$: '[$Input.in.u64, $Context.Execution.Input.huge]'
    literal: 18446744073709551617
    decimal: 1.0
    text.$: format("order {} costs {}", $Input.in.order, $Input.in.price)
    nested.$: '{"o": $Input.in.order}'
  GlobalConstructor:
    kept.$: $Input.in.neg
  Next: G
- Type: Pass
  Name: G
  OutputConstructor:
    all.$: $Input
    kept.$: $Global.kept
  End: true`, `{"all":{"decimal":1.0,"id":9007199254740993,"ids":[18446744073709551617,123456789012345678901234567890],"literal":18446744073709551617,"nested":{"o":12345678901234567890},"text":"order 12345678901234567890 costs 12.50"},"kept":-9007199254740993}`},
		{"Fail caught, its input kept", `
- Type: Parallel
  Name: Par
  Branches:
    - StartAt: F
      States:
        - Type: Fail
          Name: F
          Code: Boom
  Catch:
    - Errors: [Boom]
      Next: C
      OutputConstructor:
        id.$: $Input.id
        order.$: $Input.order
  End: true
- Type: Pass
  Name: C
  End: true`, `{"id":9007199254740993,"order":12345678901234567890}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				first := strings.SplitN(tt.states, "Name: ", 2)[1]
				res := run(t, nil, flow(strings.Fields(first)[0], tt.states), bigInput)
				wantExactOutput(t, res, tt.want)
				// The trace shows the same digits, Fail's input included.
				for _, s := range res.Trace {
					for _, text := range []string{s.Input, s.Output} {
						if strings.Contains(text, `"id":`) && !strings.Contains(text, `"id":9007199254740993`) {
							t.Errorf("step %s: id rounded in %s", s.State, text)
						}
					}
				}
			})
		})
	}
}

// A mocked Task returns what the mock file says, digit for digit, and its
// Parameters see the input's numbers exactly.
func TestMockedTaskKeepsNumbersExact(t *testing.T) {
	mocks := mustMocks(t, `
Flows:
  t:
    TestCases:
      Default: { Charge: Charged }
MockedResponses:
  Charged: { "0": { Return: { txn: 18446744073709551617, amount: 12.50, rate: 1.0, neg: -9007199254740993 } } }
`)
	src := flow("Charge", `
- Type: Task
  Name: Charge
  Action: ECS:DescribeInstances
  Parameters:
    order.$: $Input.order
  OutputConstructor:
    result.$: $Output
    order.$: $Input.order
  End: true`)
	res := run(t, &Runner{Mocks: mocks}, src, bigInput)
	wantExactOutput(t, res, `{"order":12345678901234567890,"result":{"amount":12.50,"neg":-9007199254740993,"rate":1.0,"txn":18446744073709551617}}`)
}

// Conditions and arithmetic on integers are exact at any size; decimals
// compare by value.
func TestChoiceComparesBigIntegersExactly(t *testing.T) {
	src := flow("C", `
- Type: Choice
  Name: C
  Branches:
    - Condition: $Input.id == 9007199254740992 || $Input.id <= $Input.at || $Input.u64 == 18446744073709551616
      Next: Rounded
    - Condition: $Input.id > $Input.at && $Input.id - 1 == $Input.at && $Input.u64 > 18446744073709551615 && $Input.one == 1 && $Input.exp == 100
      Next: Exact
  Default: Rounded
- Type: Pass
  Name: Exact
  OutputConstructor:
    sum.$: $Input.id + $Input.id
    product.$: $Input.order * 10
    next.$: intAdd($Input.u64, 1)
    diff.$: $Input.huge - $Input.huge + $Input.neg
    quotient.$: $Input.u64 / 3
    rest.$: $Input.order % 1000
    tenth.$: $Input.order / 10
    mixed.$: $Input.price + 1
  End: true
- Type: Fail
  Name: Rounded
  Code: Rounded`)
	res := run(t, nil, src, bigInput)
	// A quotient with a remainder is a decimal, hence the nearest float64:
	// 18446744073709551617 / 3 = 6148914691236517205.67 comes out rounded.
	wantExactOutput(t, res, `{"diff":-9007199254740993,"mixed":13.5,"next":18446744073709551618,"product":123456789012345678900,"quotient":6148914691236517000,"rest":890,"sum":18014398509481986,"tenth":1234567890123456789}`)
}

// Seconds.$ reads a number however it is written.
func TestWaitSecondsFromAJSONNumber(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", `
- Type: Wait
  Name: W
  Seconds.$: $Input.s
  End: true`)
		res := run(t, nil, src, `{"s":2.0}`)
		wantExactOutput(t, res, `{"s":2.0}`)
		if res.Trace[0].Duration != 2e9 {
			t.Errorf("waited %v; want 2s", res.Trace[0].Duration)
		}
	})
}

// An HTTP:Request Task sends the input's numbers and reads the answer's
// with their digits.
func TestHTTPTaskKeepsNumbersExact(t *testing.T) {
	srv, _, gotBody := echoServer(t, 200, `{"txn":18446744073709551617,"fee":0.10}`)
	res := run(t, &Runner{HTTP: srv.Client()}, httpFlow(srv.URL), `{"trace":"t","q":"q","id":12345678901234567890}`)
	if string(*gotBody) != `{"id":12345678901234567890}` {
		t.Errorf("request body = %s; want the id's digits", *gotBody)
	}
	if !strings.Contains(res.Output, `"Body":{"fee":0.10,"txn":18446744073709551617}`) {
		t.Errorf("Output = %s; want the answer's digits", res.Output)
	}
}
