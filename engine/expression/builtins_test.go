package expression

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The examples of Alibaba's built-in functions page, in Chinese
// (https://help.aliyun.com/document_detail/2579872.html) and in English
// (https://www.alibabacloud.com/help/en/serverless-workflow/latest/built-in-functions,
// https://help.aliyun.com/en/document_detail/2579872.html); the Japanese
// page (https://www.alibabacloud.com/help/ja/serverless-workflow/latest/built-in-functions)
// shows stringToJson's example through its alias fromJSON.
func TestBuiltinsDocumentedExamples(t *testing.T) {
	env := testEnv(t)
	tests := []struct{ src, want string }{
		{`format("hello {}","world")`, `"hello world"`},
		{`arrayContains(["Tom",10],10)`, `true`},
		{`arrayContains(["Tom",10],"Jack")`, `false`},
		{`arrayUnique([1,2,3,1])`, `[1,2,3]`},
		{`arrayUnique([1, 2, 3, 1])`, `[1,2,3]`},
		{`fromBase64("Rm5G")`, `"FnF"`},
		{`stringToJson('{"name": "Tom", "age": 10}')`, `{"age":10,"name":"Tom"}`},
		{`fromJSON('{"name": "Tom", "age": 10}')`, `{"age":10,"name":"Tom"}`},
		{`hash("abc","MD5")`, `"900150983cd24fb0d6963f7d28e17f72"`},
		{`jsonMerge({"name": "Tom", "age": 10},{"name": "Tom", "address": "beijing"})`, `{"address":"beijing","age":10,"name":"Tom"}`},
		{`length([1, 2, 3])`, `3`},
		{`length({"name": "Tom", "age": 10})`, `2`},
		{`length("name")`, `4`},
		// The page lists toBase64 under "data encoding and decoding" beside
		// fromBase64: it encodes what fromBase64's example decodes.
		{`toBase64("FnF")`, `"Rm5G"`},
		{`fromBase64(toBase64("FnF"))`, `"FnF"`},
		// toArray: "convert a variable number of arguments into an array".
		{`toArray("Tom", 10)`, `["Tom",10]`},
		// uuid, under "hash calculation and UUID generation": from the run's
		// random source (the test's gives 255 for every byte).
		{`uuid()`, `"ffffffff-ffff-4fff-bfff-ffffffffffff"`},
	}
	for _, tt := range tests {
		got, err := evalJSON(t, tt.src, env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %s, %v; want %s", tt.src, got, err, tt.want)
		}
	}
}

func TestBuiltins(t *testing.T) {
	env := testEnv(t)
	tests := []struct{ src, want string }{
		{`format("{} is {} ({})", $Input.name, $Input.n, $Input.tags)`, `"Tom is 7 ([\"vip\",\"new\"])"`},
		{`format("{}|{}|{}", null, true, {"k": "v"})`, `"null|true|{\"k\":\"v\"}"`},
		{`format("no placeholders", 1, 2)`, `"no placeholders"`},
		{`format("{}", 2.5)`, `"2.5"`},
		{`arrayContains($Input.order.items, {"price": 5})`, `true`},
		{`arrayContains([1, 2], 2.0)`, `true`},
		{`arrayUnique([{"a":1}, {"a":1.0}, "1", 1])`, `[{"a":1},"1",1]`},
		{`arrayUnique([])`, `[]`},
		{`fromBase64("aGk")`, `"hi"`},
		{`fromBase64("-_8")`, `"\ufffd\ufffd"`},
		{`stringToJson("[1, {\"a\": null}]")`, `[1,{"a":null}]`},
		{`stringToJson("3")`, `3`},
		{`hash("abc", "sha-1")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{`hash("abc", "SHA1")`, `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{`hash("abc", "SHA-256")`, `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{`hash("abc", "sha256")`, `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{`hash("abc", "SHA-512")`, `"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"`},
		{`jsonMerge($Input.order, {"total": 1, "new": true}).total`, `1`},
		{`jsonMerge({}, {})`, `{}`},
		{`length($Input.text)`, `5`},
		{`length($Input.empty)`, `0`},
		{`mapKeys({"b": 1, "a": 2, "c": 3})`, `["a","b","c"]`},
		{`mapValues({"b": 1, "a": 2, "c": 3})`, `[2,1,3]`},
		{`toArray()`, `[]`},
		{`toArray(null)`, `[null]`},
		{`toArray([1, 2])`, `[[1,2]]`},
		{`toArray($Input.n, $Input.tags, {"k": "v"}, true)`, `[7,["vip","new"],{"k":"v"},true]`},
		{`length(toArray(1, 2, 3))`, `3`},
		{`toBase64("")`, `""`},
		{`toBase64("héllo")`, `"aMOpbGxv"`},
		{`toBase64("a")`, `"YQ=="`},
		{`fromBase64(toBase64($Input.text))`, `"héllo"`},
		{`length(uuid())`, `36`},
		{`split("a,b,,c", ",")`, `["a","b","","c"]`},
		{`split("héllo", "")`, `["h","é","l","l","o"]`},
		{`split("", ",")`, `[""]`},
		{`regexMatchString("^T.m$", $Input.name)`, `true`},
		{`regexMatchString("o", $Input.name)`, `true`},
		{`regexMatchString("^o", $Input.name)`, `false`},
		{`regexMatchString($Input.name, "xTomx")`, `true`}, // dynamic pattern
		{`get($Input, "name")`, `"Tom"`},
		{`get($Input.list, 1)`, `2`},
		{`get($Input.list, "1")`, `null`},
		{`get("abc", 0)`, `null`},
		{`get(null, "a")`, `null`},
		{`intAdd(1, 2)`, `3`},
		{`intAdd($Input.n, -10)`, `-3`},
		{`intAdd(4.0, 1)`, `5`},
		{`randomInt(5, 10)`, `9`}, // the test Rand returns n-1
		{`randomInt(-3, -2)`, `-3`},
	}
	for _, tt := range tests {
		got, err := evalJSON(t, tt.src, env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %s, %v; want %s", tt.src, got, err, tt.want)
		}
	}
}

func TestFormatDoesNotEscapeHTML(t *testing.T) {
	p, _ := Compile(`format("{}", {"k": "<a&b>"})`)
	if v, err := p.Eval(Env{}); err != nil || v != `{"k":"<a&b>"}` {
		t.Errorf("got %v, %v", v, err)
	}
}

func TestBuiltinErrors(t *testing.T) {
	env := testEnv(t)
	tests := []struct{ src, want string }{
		{`format("{} {}", "a")`, "format: template has 2 placeholders but 1 value given"},
		{`format(1)`, "format: argument 1 (template) must be a string, got number"},
		{`arrayContains("abc", "a")`, "arrayContains: argument 1 (array) must be an array, got string"},
		{`arrayUnique($Input.missing)`, "arrayUnique: argument 1 (array) must be an array, got null"},
		{`fromBase64("***")`, "fromBase64: argument is not valid base64"},
		{`fromBase64(1)`, "fromBase64: argument 1 (text) must be a string, got number"},
		{`stringToJson("{")`, "stringToJson: invalid JSON"},
		{`fromJSON("[1] x")`, "fromJSON: invalid JSON"},
		{`hash("abc", "SHA3")`, `hash: unsupported algorithm "SHA3"; supported: MD5, SHA-1, SHA-256, SHA-512`},
		{`hash(1, "MD5")`, "hash: argument 1 (text) must be a string, got number"},
		{`jsonMerge($Input.tags, {})`, "jsonMerge: argument 1 (base) must be an object, got array"},
		{`length(5)`, "length: argument 1 (value) must be a string, an array or an object, got number"},
		{`mapKeys([1])`, "mapKeys: argument 1 (object) must be an object, got array"},
		{`mapValues("x")`, "mapValues: argument 1 (object) must be an object, got string"},
		{`split("a", 1)`, "split: argument 2 (separator) must be a string, got number"},
		{`regexMatchString(1, "a")`, "regexMatchString: argument 1 (pattern) must be a string, got number"},
		{`regexMatchString($Input.missing, "a")`, "regexMatchString: argument 1 (pattern) must be a string, got null"},
		{`regexMatchString(format("{}", "("), "a")`, `regexMatchString: invalid pattern "("`},
		{`intAdd(1.5, 1)`, "intAdd: argument 1 (a) must be an integer, got 1.5"},
		{`intAdd(1, "2")`, "intAdd: argument 2 (b) must be an integer, got string"},
		{`intAdd(1e300, 1)`, "intAdd: argument 1 (a) must be an integer, got 1e+300"},
		{`randomInt(-9223372036854775807, 9223372036854775807)`, "randomInt: max - min must be within 2^63"},
		{`randomInt(5, 5)`, "randomInt: min (5) must be less than max (5)"},
		{`randomInt(0, 0.5)`, "randomInt: argument 2 (max) must be an integer, got 0.5"},
		{`toBase64(1)`, "toBase64: argument 1 (text) must be a string, got number"},
		{`toBase64($Input.missing)`, "toBase64: argument 1 (text) must be a string, got null"},
		{`toBase64()`, "toBase64: want 1 argument (text), got 0"},
		{`uuid("v4")`, "uuid: want 0 arguments (), got 1"},
	}
	for _, tt := range tests {
		_, err := evalJSON(t, tt.src, env)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.want) {
			t.Errorf("%s: %v; want *Error containing %q", tt.src, err, tt.want)
			continue
		}
		if e.Column != 1 {
			t.Errorf("%s: column %d; want 1 (the function name)", tt.src, e.Column)
		}
	}
}

func TestRandomIntSources(t *testing.T) {
	p, err := Compile(`randomInt(10, 20)`)
	if err != nil {
		t.Fatal(err)
	}
	for range 100 { // default source stays in range
		v, err := p.Eval(Env{})
		if f, _ := Float(v); err != nil || f < 10 || f >= 20 || f != float64(int(f)) {
			t.Fatalf("randomInt(10, 20) = %v, %v", v, err)
		}
	}
	var gotN int64
	v, err := p.Eval(Env{Rand: func(n int64) int64 { gotN = n; return 0 }})
	if err != nil || v != json.Number("10") || gotN != 10 {
		t.Errorf("injected source: %v, %v, n=%d", v, err, gotN)
	}
	_, err = p.Eval(Env{Rand: func(n int64) int64 { return n }})
	if err == nil || !strings.Contains(err.Error(), "outside [0, 10)") {
		t.Errorf("bad source: %v", err)
	}
}

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestUUIDSources(t *testing.T) {
	p, err := Compile(`uuid()`)
	if err != nil {
		t.Fatal(err)
	}
	// Without a source: crypto/rand, a new version 4 UUID each time.
	a, errA := p.Eval(Env{})
	b, errB := p.Eval(Env{})
	if errA != nil || errB != nil || !uuidV4.MatchString(a.(string)) || !uuidV4.MatchString(b.(string)) || a == b {
		t.Errorf("default source: %v, %v; %v, %v", a, errA, b, errB)
	}
	// With the run's source: the same source gives the same UUID.
	counting := func() func(int64) int64 {
		var i int64
		return func(n int64) int64 { i++; return i % n }
	}
	a, errA = p.Eval(Env{Rand: counting()})
	b, errB = p.Eval(Env{Rand: counting()})
	if errA != nil || errB != nil || a != "01020304-0506-4708-890a-0b0c0d0e0f10" || a != b {
		t.Errorf("injected source: %v, %v; %v, %v", a, errA, b, errB)
	}
	_, err = p.Eval(Env{Rand: func(n int64) int64 { return n }})
	if err == nil || !strings.Contains(err.Error(), "outside [0, 256)") {
		t.Errorf("bad source: %v", err)
	}
}

// The page allows at most 10 levels of nested built-in functions; an 11th
// is refused when the definition is compiled, at the column of the call
// that goes too deep.
func TestNestedCallsBeyondTenAreRefusedWithTheirColumn(t *testing.T) {
	ten := strings.Repeat("toArray(", 9) + "uuid()" + strings.Repeat(")", 9)
	if _, err := Compile(ten); err != nil {
		t.Fatalf("10 levels: %v", err)
	}
	eleven := `format("{}", ` + strings.Repeat("toArray(", 9) + "uuid()" + strings.Repeat(")", 9) + ")"
	_, err := Compile(eleven)
	var e *Error
	if !errors.As(err, &e) || e.Msg != "too many nested function calls (at most 10)" {
		t.Fatalf("11 levels: %v", err)
	}
	if want := len(`format("{}", `) + 9*len("toArray(") + 1; e.Column != want {
		t.Errorf("column %d; want %d (the uuid call)", e.Column, want)
	}
	// Operators and literals between calls do not add levels.
	wrap := func(n int, inner string) string {
		return strings.Repeat(`toArray(1 + length([{"k": `, n) + inner + strings.Repeat("}]))", n)
	}
	if _, err := Compile(wrap(4, "toArray(uuid())")); err != nil {
		t.Errorf("10 levels through literals: %v", err)
	}
	if _, err := Compile(wrap(5, "uuid()")); err == nil || !strings.Contains(err.Error(), "too many nested") {
		t.Errorf("11 levels through literals: %v", err)
	}
}

func TestFunctionsList(t *testing.T) {
	want := []string{"arrayContains", "arrayUnique", "format", "fromBase64", "fromJSON", "get", "hash",
		"intAdd", "jsonMerge", "length", "mapKeys", "mapValues", "randomInt", "regexMatchString",
		"split", "stringToJson", "toArray", "toBase64", "uuid"}
	if got := Functions(); !slices.Equal(got, want) {
		t.Errorf("Functions() = %v", got)
	}
	for _, name := range want {
		if strings.HasPrefix(name, "$") {
			t.Errorf("internal function %s exposed", name)
		}
	}
	// Internal operator functions cannot be called by authors.
	if _, err := Compile(`$path($Input, "a")`); err == nil || !strings.Contains(err.Error(), "unknown function $path") {
		t.Errorf("$path callable: %v", err)
	}
	if _, err := Compile(`$Rand`); err == nil {
		t.Error("$Rand visible")
	}
}
