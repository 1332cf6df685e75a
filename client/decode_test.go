package client

import (
	"encoding/json"
	"github.com/flowtui/flowtui/fnf"
	"testing"
)

func TestDecodeExecutionMatchesEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"RequestId":"r","FlowName":"f","Name":"n:1","Status":"Succeeded","ErrorCode":"","ErrorMessage":"","Output":"{\"a\":\"\\u00e9\\n\\\\ \\/\"}","StartedTime":"s","StoppedTime":"t"}`,
		` { "Status" : "Failed" , "ErrorMessage" : "日本 \u2028" } `,
		`{}`,
	} {
		var fast, std fnf.Execution
		if !decodeExecution([]byte(body), &fast) {
			t.Fatalf("fast path refused %s", body)
		}
		if err := json.Unmarshal([]byte(body), &std); err != nil {
			t.Fatal(err)
		}
		if fast != std {
			t.Fatalf("fast %+v, encoding/json %+v", fast, std)
		}
	}
}

func TestDecodeExecutionLeavesTheUnusualToEncodingJSON(t *testing.T) {
	for _, body := range []string{
		`{"status":"Succeeded"}`,           // case-insensitive key
		`{"Status":null}`,                  // not a string
		`{"Environment":{"Variables":[]}}`, // unknown field
		`{"Output":"\ud83d\ude00"}`,        // surrogate pair
		"{\"Output\":\"a\xffb\"}",          // invalid UTF-8
		`{"Output":"a` + "\n" + `"}`,       // raw control character
		`{"Status":"a"} x`, `{"Status":"a",}`, `{"Status":"a`, `[]`, ``,
	} {
		var e fnf.Execution
		if decodeExecution([]byte(body), &e) {
			t.Errorf("fast path took %q", body)
		}
	}
}

// FuzzDecodeExecution: whenever the fast path answers, encoding/json agrees.
func FuzzDecodeExecution(f *testing.F) {
	f.Add([]byte(`{"Status":"Succeeded","Output":"{\"k\":\"v\\u0041\"}"}`))
	f.Add([]byte(`{"Name":"x","Name":"y"}`))
	f.Add([]byte(`{"ErrorMessage":"\t\\t"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var fast, std fnf.Execution
		if !decodeExecution(body, &fast) {
			return
		}
		if err := json.Unmarshal(body, &std); err != nil {
			t.Fatalf("fast path accepted %q, encoding/json: %v", body, err)
		}
		if fast != std {
			t.Fatalf("%q: fast %+v, encoding/json %+v", body, fast, std)
		}
	})
}
