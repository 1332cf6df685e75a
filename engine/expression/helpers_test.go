package expression

import (
	"encoding/json"
	"testing"
)

// mustJSON decodes a JSON literal the way the engine receives data.
func mustJSON(t testing.TB, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad test JSON %q: %v", s, err)
	}
	return v
}

// testEnv is the fixed environment shared by table tests and the fuzzer.
func testEnv(t testing.TB) Env {
	return Env{
		Input: mustJSON(t, `{"status":"ready","total":50,"tags":["vip","new"],"name":"Tom","n":7,
			"flag":true,"nil":null,"empty":{},"list":[1,2,3],"text":"héllo",
			"order":{"customer":"c1","total":150,"items":[{"price":5},{"price":12.5}]}}`),
		Output: mustJSON(t, `{"result":{"code":200,"body":"ok"}}`),
		Context: mustJSON(t, `{"Execution":{"Name":"exec-1","Input":{"a":1},"RoleArn":"acs:ram::1:role/r"},
			"Current":{"Name":"S1","Input":{"items":[{"price":5}]},"Output":{},
			"Error":{"Code":"E1","Detail":"boom"},"RetryCount":2,"TaskToken":"tok"}}`),
		Global: mustJSON(t, `{"counter":3}`),
		Rand:   func(n int64) int64 { return n - 1 },
	}
}

// evalJSON compiles and evaluates src and returns the result as JSON.
func evalJSON(t *testing.T, src string, env Env) (string, error) {
	t.Helper()
	p, err := Compile(src)
	if err != nil {
		return "", err
	}
	v, err := p.Eval(env)
	if err != nil {
		return "", err
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: result %#v is not JSON-marshalable: %v", src, v, err)
	}
	return string(b), nil
}
