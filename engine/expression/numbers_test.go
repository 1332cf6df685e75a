package expression

import (
	"encoding/json"
	"testing"
)

// exactEnv holds data decoded as the engine decodes it: numbers keep their
// text.
func exactEnv(t *testing.T) Env {
	t.Helper()
	in, err := DecodeJSON([]byte(`{"id":9007199254740993,"at":9007199254740992,"u64":18446744073709551617,` +
		`"max":18446744073709551615,"neg":-9223372036854775809,"one":1.0,"price":12.50,"half":0.5,` +
		`"list":["a","b","c"],"ids":[9007199254740993,18446744073709551617]}`))
	if err != nil {
		t.Fatal(err)
	}
	return Env{Input: in, Rand: func(n int64) int64 { return n - 1 }}
}

// intAdd, format, randomInt and the operators are those of the built-in
// functions page (https://help.aliyun.com/document_detail/2579872.html); it
// states no precision, so integers are exact (see the package doc).
func TestIntegersAreExactAtAnySize(t *testing.T) {
	tests := []struct{ src, want string }{
		// passing through: the same digits
		{`$Input.id`, `9007199254740993`},
		{`$Input.u64`, `18446744073709551617`},
		{`$Input.one`, `1.0`},
		{`$Input.price`, `12.50`},
		{`[$Input.id, {"k": $Input.u64}]`, `[9007199254740993,{"k":18446744073709551617}]`},
		{`18446744073709551617`, `18446744073709551617`},
		{`-18446744073709551617`, `-18446744073709551617`},
		{`010000000000000000000`, `10000000000000000000`},
		// arithmetic
		{`$Input.id + 1`, `9007199254740994`},
		{`$Input.id - $Input.at`, `1`},
		{`$Input.max + 2`, `18446744073709551617`},
		{`$Input.neg - 1`, `-9223372036854775810`},
		{`9223372036854775807 + 1`, `9223372036854775808`},
		{`-9223372036854775807 - 2`, `-9223372036854775809`},
		{`4294967296 * 4294967296`, `18446744073709551616`},
		{`$Input.u64 * $Input.u64`, `340282366920938463500268095579187314689`},
		{`$Input.u64 / 1`, `18446744073709551617`},
		{`$Input.u64 % 10`, `7`},
		{`-$Input.u64`, `-18446744073709551617`},
		{`-$Input.neg`, `9223372036854775809`},
		{`7 / 2`, `3.5`},
		{`$Input.price * 2`, `25`},
		{`$Input.one + $Input.id`, `9007199254740994`},
		{`$Input.half + $Input.half`, `1`},
		// built-ins
		{`intAdd($Input.u64, $Input.id)`, `18455751272964292610`},
		{`intAdd($Input.one, 1)`, `2`},
		{`format("{}/{}/{}", $Input.id, $Input.u64, $Input.one)`, `"9007199254740993/18446744073709551617/1.0"`},
		{`format("{}", [$Input.id])`, `"[9007199254740993]"`},
		{`stringToJson("{\"n\": 18446744073709551617}").n`, `18446744073709551617`},
		{`$Input.list[$Input.one]`, `"b"`},
		{`get($Input.list, 2)`, `"c"`},
		{`$Input.list[$Input.u64]`, `null`},
		{`arrayUnique([1, 1.0, $Input.one, $Input.id, 9007199254740992])`, `[1,9007199254740993,9007199254740992]`},
		{`arrayContains($Input.ids, 18446744073709551617)`, `true`},
		{`arrayContains($Input.ids, 18446744073709551616)`, `false`},
		{`randomInt(9007199254740993, 9007199254741000)`, `9007199254740999`},
		{`length($Input.list) + $Input.u64`, `18446744073709551620`},
	}
	env := exactEnv(t)
	for _, tt := range tests {
		got, err := evalJSON(t, tt.src, env)
		if err != nil || got != tt.want {
			t.Errorf("%s = %s, %v; want %s", tt.src, got, err, tt.want)
		}
	}
}

func TestComparisonsAreExact(t *testing.T) {
	tests := []struct {
		src  string
		want bool
	}{
		{`$Input.id == 9007199254740992`, false},
		{`$Input.id != $Input.at`, true},
		{`$Input.id > $Input.at`, true},
		{`$Input.at < $Input.id`, true},
		{`$Input.u64 > 18446744073709551616`, true},
		{`$Input.u64 >= 18446744073709551617 && $Input.u64 <= 18446744073709551617`, true},
		{`$Input.neg < -9223372036854775808`, true},
		{`$Input.one == 1`, true},
		{`$Input.price == 12.5`, true},
		{`$Input.half < 1`, true},
		// an integer against a decimal compares by value
		{`$Input.u64 > 1.8446744073709552e19`, true},
		{`$Input.id > 9007199254740992.0`, true},
		{`$Input.at == 9007199254740992.0`, true},
		{`9007199254740993 in $Input.ids`, true},
		{`9007199254740992 in $Input.ids`, false},
		{`{"a": [$Input.id]} == {"a": [9007199254740993]}`, true},
		{`{"a": [$Input.id]} == {"a": [9007199254740992]}`, false},
	}
	wantConditions(t, exactEnv(t), tests)
}

func TestIntegerLiteralErrorsKeepTheirColumn(t *testing.T) {
	_, err := Compile(`18446744073709551617 + $Input.x +`)
	e, ok := err.(*Error)
	if !ok || e.Column == 0 {
		t.Fatalf("error %v has no column", err)
	}
	if _, err := Compile(`$Input.list[18446744073709551617]`); err != nil {
		t.Errorf("a big index literal: %v", err)
	}
}

func TestDecodeJSONRefusesWhatUnmarshalRefuses(t *testing.T) {
	for _, s := range []string{``, `{`, `{} x`, `{}{}`, `[1,]`, `01`} {
		_, err := DecodeJSON([]byte(s))
		if err == nil || err.Error() != json.Unmarshal([]byte(s), new(any)).Error() {
			t.Errorf("DecodeJSON(%q) = %v; want %v", s, err, json.Unmarshal([]byte(s), new(any)))
		}
	}
	v, err := DecodeJSON([]byte(" {\"n\": 1.0} \n"))
	if err != nil || v.(map[string]any)["n"] != json.Number("1.0") {
		t.Errorf("DecodeJSON = %#v, %v", v, err)
	}
}
