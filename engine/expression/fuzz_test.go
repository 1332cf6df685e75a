package expression

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// internalLeaks are fragments of Go runtime or expr messages that mean a
// bug escaped as an error (expr's VM turns panics into errors).
var internalLeaks = []string{"runtime error", "interface conversion", "reflect", "nil pointer", "invalid memory", "unknown lexing error"}

func FuzzCompileEval(f *testing.F) {
	for _, s := range []string{
		`$Input.status == "ready"`,
		`$Input.order.items[0].price >= 5 && "vip" in $Input.tags`,
		`format("{} {}", $Input.name, length($Input.list))`,
		`jsonMerge({"a": [1, {"b": null}]}, stringToJson("{\"c\": 1}"))`,
		`hash(fromBase64("Rm5G"), "sha-256")`,
		`randomInt(intAdd(1, 2), 10) % 3`,
		`!($Input.total < 10) || $Context.Current.Error.Code != "x"`,
		`$Input.a ? 1 : 2`,
		`toArray(mapValues($Input.order))[1]`,
	} {
		f.Add(s)
	}
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, src string) {
		start := time.Now()
		p, err := Compile(src)
		if err != nil {
			checkErr(t, src, err)
			return
		}
		v, err := p.Eval(env)
		if err != nil {
			checkErr(t, src, err)
		} else if b, err := json.Marshal(v); err != nil {
			t.Fatalf("%q: result %#v not JSON-marshalable: %v", src, v, err)
		} else if len(b) > 1<<24 {
			t.Fatalf("%q: result of %d bytes", src, len(b))
		}
		if _, err := p.EvalBool(env); err != nil {
			checkErr(t, src, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q took %v", src, d)
		}
	})
}

func checkErr(t *testing.T, src string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("%q: error %T is not *Error: %v", src, err, err)
	}
	if e.Msg == "" {
		t.Fatalf("%q: empty error message", src)
	}
	if e.Column < 0 || e.Column > len([]rune(src))+1 {
		t.Fatalf("%q: column %d out of range", src, e.Column)
	}
	for _, leak := range internalLeaks {
		if strings.Contains(e.Msg, leak) {
			t.Fatalf("%q: internal error leaked: %v", src, err)
		}
	}
}
