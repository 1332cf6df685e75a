package expression

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

func TestConditions(t *testing.T) {
	env := testEnv(t)
	tests := []struct {
		src  string
		want bool
	}{
		{`$Input.status == "ready"`, true},
		{`$Input.status == "done"`, false},
		{"$Input.status == `ready`", true},
		{`$Input.status != "ready"`, false},
		{`"vip" in $Input.tags`, true},
		{`"gold" in $Input.tags`, false},
		{`"customer" in $Input.order`, true},
		{`"missing" in $Input.order`, false},
		{`2 in $Input.list`, true},
		{`!($Input.total < 10)`, true},
		{`$Context.Current.Input.items[0].price >= 5`, true},
		{`$Context.Current.Input.items[0]["price"] > 5`, false},
		{`$Input.status == "ready" && $Input.order.total > 100`, true},
		{`$Input.status == "x" || $Input.flag`, true},
		{`$Input.total <= 50 && $Input.total >= 50`, true},
		{`"abc" < "abd"`, true},
		{`-$Input.n < -6`, true},
		{`$Input.n % 2 == 1`, true},
		{`$Input.n / 2 == 3.5`, true},
		{`$Input.n * 2 - 4 + 1 == 11`, true},
		{`"a" + "b" == "ab"`, true},
		{`$Input.order.items[1].price == 12.5`, true},
		{`$Context.Current.Error.Code == "E1"`, true},
		{`$Context.Current.RetryCount < 3`, true},
		{`$Global.counter == 3`, true},
		{`$Output.result.code == 200`, true},
		{`$Input.list == [1, 2, 3]`, true},
		{`$Input.empty == {}`, true},
		{`$Input.order.items[0] == {"price": 5}`, true},
		{`1 == 1.0`, true},
		{`"1" == 1`, false},
		{`true && !false`, true},
		{`$Input.nil == null && $Input.nil == nil`, true},
		{`false && $Input.status`, false}, // short-circuit: right side never checked
		{`$Input["status"] == "ready"`, true},
		{`$Input.list[$Input.list[0]] == 2`, true},
		{`(1 + 2) * 3 == 9`, true},
		{`length($Input.tags) == 2 && arrayContains($Input.tags, "new")`, true},
	}
	wantConditions(t, env, tests)
}

// conditionCase is a condition and what it must evaluate to.
type conditionCase = struct {
	src  string
	want bool
}

// wantConditions compiles and evaluates each condition against env.
func wantConditions(t *testing.T, env Env, tests []conditionCase) {
	t.Helper()
	for _, tt := range tests {
		p, err := Compile(tt.src)
		if err != nil {
			t.Errorf("Compile(%s): %v", tt.src, err)
			continue
		}
		got, err := p.EvalBool(env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.src, got, err, tt.want)
		}
	}
}

func TestMissingDataIsNull(t *testing.T) {
	env := testEnv(t)
	for _, src := range []string{
		`$Input.missing`, `$Input.a.b.c`, `$Input.list[99]`, `$Input.list[-1]`, `$Input.list[0.5]`,
		`$Input.list["x"]`, `$Input.order[0]`, `$Input.status.length`, `$Input.nil.x`, `$Output.none[0].x`,
		`get($Input, "nope")`, `get($Input.list, 7)`, `$Input.list[$Input.missing]`,
	} {
		got, err := evalJSON(t, src, env)
		if err != nil || got != "null" {
			t.Errorf("%s = %s, %v; want null", src, got, err)
		}
	}
	// Conditions over missing data are simply false.
	for _, src := range []string{`$Input.status == "ready"`, `"vip" in $Input.tags`, `$Input.a.b == 1`} {
		p, _ := Compile(src)
		got, err := p.EvalBool(Env{Input: map[string]any{}})
		if err != nil || got {
			t.Errorf("%s on {} = %v, %v; want false", src, got, err)
		}
	}
	// A nil Env is fine too.
	p, _ := Compile(`$Input.x == null && $Context.Current.Input == null`)
	if got, err := p.EvalBool(Env{}); err != nil || !got {
		t.Errorf("empty env: %v, %v", got, err)
	}
}

func TestRuntimeErrors(t *testing.T) {
	env := testEnv(t)
	tests := []struct{ src, want string }{
		{`$Input.missing < 3`, "cannot compare null < number"},
		{`$Input.status > 3`, "cannot compare string > number"},
		{`$Input.list >= $Input.list`, "cannot compare array >= array"},
		{`$Input.name + 1`, "cannot compute string + number"},
		{`$Input.n - "x"`, "cannot compute number - string"},
		{`$Input.n / 0`, "division by zero"},
		{`$Input.n % 0`, "modulo by zero"},
		{`1e308 * 10`, "result is not a finite number"},
		{`-$Input.name`, "cannot negate a string"},
		{`!$Input.missing`, "! needs true or false, got null"},
		{`$Input.n && true`, "&& needs true or false on both sides, got a number"},
		{`true || $Input.n`, ""}, // short-circuit
		{`false || $Input.name`, "|| needs true or false on both sides, got a string"},
		{`"a" in "abc"`, "in needs an array or an object on the right"},
		{`length($Input.missing)`, "length: argument 1 (value) must be a string, an array or an object, got null"},
	}
	for _, tt := range tests {
		_, err := evalJSON(t, tt.src, env)
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tt.src, err)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.want) {
			t.Errorf("%s: error %v; want *Error containing %q", tt.src, err, tt.want)
		}
	}
	// Runtime errors point at the operator.
	_, err := evalJSON(t, `$Input.total < $Input.x`, env)
	if e := (*Error)(nil); !errors.As(err, &e) || e.Column != 14 {
		t.Errorf("column: %v", err)
	}
}

func TestEvalBoolNeedsBoolean(t *testing.T) {
	env := testEnv(t)
	for src, want := range map[string]string{
		`$Input.total`:   "condition is a number, not true or false",
		`$Input.missing`: "condition is null, not true or false",
		`$Input.name`:    "condition is a string, not true or false",
		`$Input.tags`:    "condition is an array, not true or false",
		`$Input.order`:   "condition is an object, not true or false",
	} {
		p, err := Compile(src)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.EvalBool(env); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", src, err, want)
		}
	}
}

func TestRejectedSyntax(t *testing.T) {
	tests := []struct {
		src, want string
		col       int
	}{
		{`$Input.a ==`, "unexpected end of expression", 11},
		{`$Input.a ? 1 : 2`, "the ternary operator ?: is not supported", 10},
		{`$Input.a ?? 1`, "the ?? operator is not supported", 10},
		{`$Input?.a`, "?. is not supported", 7},
		{`$Input.a | upper()`, "pipes (|) are not supported", 10},
		{`filter($Input.list, # > 1)`, "closures and predicates (#) are not supported", 21},
		{`map($Input.list, .x)`, "unknown function map; known functions: arrayContains,", 1},
		{`let x = 1; x`, "let is not supported", 1},
		{`$Input.name matches "^T"`, "the matches operator is not supported", 13},
		{`$Input.name contains "T"`, "the contains operator is not supported", 13},
		{`$Input.name startsWith "T"`, "the startsWith operator is not supported", 13},
		{`$Input.name endsWith "T"`, "the endsWith operator is not supported", 13},
		{`1..3`, "ranges (..) are not supported", 2},
		{`$Input.list[1:2]`, "slices ([a:b]) are not supported", 14},
		{`$Input.list[:2]`, "slices ([a:b]) are not supported", 13},
		{`not $Input.flag`, "the not keyword is not supported; use !", 1},
		{`"a" not in $Input.tags`, "the not keyword is not supported", 5},
		{`true and false`, "the and keyword is not supported; use &&", 6},
		{`true or false`, "the or keyword is not supported; use ||", 6},
		{`if true { 1 } else { 2 }`, "if/else is not supported", 1},
		{`1; 2`, "sequences (;) are not supported", 2},
		{`2 ** 3`, "the ** operator is not supported", 3},
		{`2 ^ 3`, "the ^ operator is not supported", 3},
		{`upper("a")`, "unknown function upper; known functions: arrayContains, arrayUnique, format", 1},
		{`len($Input.list)`, "unknown function len", 1},
		{`x == 1`, "unknown variable x; use $Input, $Output, $Context, $Global or $Item (a Map's ItemConstructor)", 1},
		{`$input.x`, "unknown variable $input", 1},
		{`$env`, "unknown variable $env", 1},
		{`$Input.name.upper()`, "method calls are not supported", 13},
		{`{name: "Tom"}`, "object keys must be quoted strings", 2},
		{`{"a": 1, "a": 2}`, `duplicate object key "a"`, 10},
		{`1 < $Input.n < 3`, "chained comparisons", 14},
		{`+1`, "unary + is not supported", 1},
		{`0x10`, "unsupported number literal 0x10", 1},
		{`1_000`, "unsupported number literal 1_000", 1},
		{`b"abc"`, "byte strings", 1},
		{`1 // note`, "comments are not supported", 3},
		{`/* c */ 1`, "comments are not supported", 1},
		{`$Input.a = 1`, "assignment (=) is not supported", 10},
		{`hash("abc")`, "hash: want 2 arguments (text, algorithm), got 1", 1},
		{`length()`, "length: want 1 argument (value), got 0", 1},
		{`format()`, "format: want at least 1 argument (template, values...), got 0", 1},
		{`regexMatchString("(", "x")`, `regexMatchString: invalid pattern "("`, 1},
		{`"abc`, "literal not terminated", 0},
		{`$Input.a )`, `unexpected ")"`, 10},
		{``, "expression is empty", 0},
		{`   `, "expression is empty", 0},
		{strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101), "brackets nest too deeply", 101},
	}
	for _, tt := range tests {
		_, err := Compile(tt.src)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Compile(%s) = %v; want *Error", tt.src, err)
			continue
		}
		if !strings.Contains(e.Msg, tt.want) {
			t.Errorf("Compile(%s) msg %q; want %q", tt.src, e.Msg, tt.want)
		}
		if tt.col != 0 && e.Column != tt.col {
			t.Errorf("Compile(%s) column %d; want %d (%v)", tt.src, e.Column, tt.col, e)
		}
	}
	// Property names may be words that are operators elsewhere.
	if _, err := Compile(`$Input.not == $Input.in && $Input.matches == $Input.let`); err != nil {
		t.Errorf("keyword properties: %v", err)
	}
}

func TestLimits(t *testing.T) {
	// expr's node limit (10 000) still applies.
	_, err := Compile(strings.Repeat("1+", 6000) + "1")
	if err == nil || !strings.Contains(err.Error(), "exceeds maximum allowed nodes") {
		t.Errorf("node limit: %v", err)
	}
	_, err = Compile(`"` + strings.Repeat("a", maxSourceLen) + `"`)
	if err == nil || !strings.Contains(err.Error(), "expression is longer than") {
		t.Errorf("length limit: %v", err)
	}
}

func TestErrorString(t *testing.T) {
	_, err := Compile(`$Input.a ==`)
	if got, want := err.Error(), `expression "$Input.a ==": column 11: unexpected end of expression`; got != want {
		t.Errorf("Error() = %q; want %q", got, want)
	}
	e := &Error{Expr: "x", Msg: "boom"}
	if got := e.Error(); got != `expression "x": boom` {
		t.Errorf("no column: %q", got)
	}
}

func TestNestingLimit(t *testing.T) {
	nest := func(n int) string {
		return strings.Repeat("toArray(", n) + "1" + strings.Repeat(")", n)
	}
	p, err := Compile(nest(10))
	if err != nil {
		t.Fatalf("10 levels: %v", err)
	}
	if v, err := p.Eval(Env{}); err != nil || len(v.([]any)) != 1 {
		t.Errorf("10 levels eval: %v, %v", v, err)
	}
	_, err = Compile(nest(11))
	if err == nil || !strings.Contains(err.Error(), "too many nested function calls (at most 10)") {
		t.Errorf("11 levels: %v", err)
	}
	// Siblings do not count as nesting.
	if _, err := Compile(`format("{}{}", length(split("a,b", ",")), length("x"))`); err != nil {
		t.Error(err)
	}
}

func TestResultsAreJSON(t *testing.T) {
	env := testEnv(t)
	env.Input = map[string]any{"i": 123, "i64": int64(-5), "num": json.Number("7"), "u": uint8(3),
		"nested": map[string]any{"list": []any{1, int64(2)}}, "strs": []string{"a"}}
	tests := []struct{ src, want string }{
		{`123`, `123`},
		{`100 + 23`, `123`},
		{`$Input.i`, `123`},
		{`$Input.i + 1`, `124`},
		{`$Input.i64 * 2`, `-10`},
		{`$Input.num + $Input.u`, `10`},
		{`$Input.nested`, `{"list":[1,2]}`},
		{`$Input.strs`, `["a"]`},
		{`$Input.nested.list[1] == 2`, `true`},
		{`[1, 2.5, "x", null, true, {"k": [1]}]`, `[1,2.5,"x",null,true,{"k":[1]}]`},
		{`1.5e3`, `1500`},
		{`-0.5`, `-0.5`},
		{`length("name")`, `4`},
	}
	for _, tt := range tests {
		got, err := evalJSON(t, tt.src, env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %s, %v; want %s", tt.src, got, err, tt.want)
		}
	}
	// Integers come back as json.Number, whatever the input type.
	p, _ := Compile(`[$Input.i, $Input.nested]`)
	v, _ := p.Eval(env)
	arr := v.([]any)
	if _, ok := arr[0].(json.Number); !ok {
		t.Errorf("int input not normalised: %T", arr[0])
	}
	if _, ok := arr[1].(map[string]any)["list"].([]any)[1].(json.Number); !ok {
		t.Errorf("nested int64 not normalised")
	}
}

func TestSourceAndConcurrency(t *testing.T) {
	const src = `format("{}-{}", $Input.id, randomInt(0, 10))`
	p, err := Compile(src)
	if err != nil {
		t.Fatal(err)
	}
	if p.Source() != src {
		t.Errorf("Source() = %q", p.Source())
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 200 {
				id := float64(i*1000 + j)
				v, err := p.Eval(Env{Input: map[string]any{"id": id}, Rand: func(int64) int64 { return 3 }})
				want, _ := compactJSON(id)
				if err != nil || v != want+"-3" {
					t.Errorf("concurrent eval: %v, %v", v, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
