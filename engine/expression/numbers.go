package expression

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Numbers travel as json.Number, the text the JSON had, so that a value no
// expression computes with keeps its digits (an id beyond 2^53, 1.0). They
// are read only when an operator or a built-in needs their value.

// DecodeJSON decodes one JSON value with every number as json.Number; it
// refuses trailing data as json.Unmarshal does.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil && len(bytes.TrimLeft(data[dec.InputOffset():], " \t\r\n")) == 0 {
		return v, nil
	}
	// json.Unmarshal words every failure the way users know it.
	if uerr := json.Unmarshal(data, new(any)); uerr != nil {
		return nil, uerr
	}
	return nil, fmt.Errorf("invalid JSON: %v", err)
}

// num is a number read for computing: an exact integer (i, or big beyond
// int64) or a decimal (f).
type num struct {
	big   *big.Int
	i     int64
	f     float64
	isInt bool
}

// readNum reads any numeric representation. Integers are exact at any size;
// a number written with a fraction or an exponent is a float64, and counts as
// an integer when its value is whole and within ±2^53, where float64 holds
// every integer.
func readNum(v any) (num, bool) {
	switch n := v.(type) {
	case json.Number:
		return numberText(string(n))
	case float64:
		return floatNum(n), true
	case int:
		return num{i: int64(n), isInt: true}, true
	case int64:
		return num{i: n, isInt: true}, true
	case uint64:
		if n > math.MaxInt64 {
			return num{big: new(big.Int).SetUint64(n), isInt: true}, true
		}
		return num{i: int64(n), isInt: true}, true
	}
	if f, ok := toNumber(v); ok { // the remaining Go integer and float types
		return floatNum(f), true
	}
	return num{}, false
}

func numberText(s string) (num, bool) {
	if !strings.ContainsAny(s, ".eE") {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return num{i: i, isInt: true}, true
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return num{big: b, isInt: true}, true
		}
		return num{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return num{}, false
	}
	return floatNum(f), true
}

// floatNum makes a whole float64 within ±2^53 an integer, so that
// 2.0 + 9007199254740993 is exact.
func floatNum(f float64) num {
	if f == math.Trunc(f) && math.Abs(f) <= maxExactInt {
		return num{i: int64(f), isInt: true}
	}
	return num{f: f}
}

// maxExactInt is 2^53, the largest magnitude up to which float64 holds every
// integer.
const maxExactInt = 1 << 53

func bigNum(b *big.Int) num {
	if b.IsInt64() {
		return num{i: b.Int64(), isInt: true}
	}
	return num{big: b, isInt: true}
}

func (n num) bigInt() *big.Int {
	if n.big != nil {
		return n.big
	}
	return big.NewInt(n.i)
}

func (n num) float() float64 {
	switch {
	case !n.isInt:
		return n.f
	case n.big != nil:
		f, _ := new(big.Float).SetInt(n.big).Float64()
		return f
	}
	return float64(n.i)
}

// value is the JSON value of n: an integer as json.Number, a decimal as
// float64.
func (n num) value() any {
	switch {
	case !n.isInt:
		return n.f
	case n.big != nil:
		return json.Number(n.big.String())
	}
	return json.Number(strconv.FormatInt(n.i, 10))
}

// isNaN reports a NaN, which JSON cannot carry but a Go caller might.
func (n num) isNaN() bool { return !n.isInt && math.IsNaN(n.f) }

// cmpNum orders two numbers by value: integers exactly, a decimal against
// an integer exactly as the float64 it is. Neither may be NaN.
func cmpNum(a, b num) int {
	switch {
	case a.isInt && b.isInt && a.big == nil && b.big == nil:
		return cmp.Compare(a.i, b.i)
	case a.isInt && b.isInt:
		return a.bigInt().Cmp(b.bigInt())
	case !a.isInt && !b.isInt:
		return cmp.Compare(a.f, b.f) // JSON has no NaN
	}
	return exactFloat(a).Cmp(exactFloat(b))
}

func exactFloat(n num) *big.Float {
	if n.isInt {
		return new(big.Float).SetInt(n.bigInt())
	}
	return big.NewFloat(n.f)
}

// intOp is an integer operation: an int64 fast path that reports overflow,
// and its math/big form.
type intOp struct {
	small func(x, y int64) (int64, bool)
	large func(z, x, y *big.Int) *big.Int
}

var (
	intAdd = intOp{
		small: func(x, y int64) (int64, bool) { s := x + y; return s, (s > x) == (y > 0) },
		large: (*big.Int).Add,
	}
	intSub = intOp{
		small: func(x, y int64) (int64, bool) { d := x - y; return d, (d < x) == (y > 0) },
		large: (*big.Int).Sub,
	}
	intMul = intOp{
		small: func(x, y int64) (int64, bool) {
			if x == 0 || y == 0 {
				return 0, true
			}
			p := x * y
			return p, p/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64)
		},
		large: (*big.Int).Mul,
	}
)

func (op intOp) apply(x, y num) num {
	if x.big == nil && y.big == nil {
		if r, ok := op.small(x.i, y.i); ok {
			return num{i: r, isInt: true}
		}
	}
	return bigNum(op.large(new(big.Int), x.bigInt(), y.bigInt()))
}

// divInts is x / y for integers: exact when y divides x, else the nearest
// float64.
func divInts(x, y num) num {
	if x.big == nil && y.big == nil && !(x.i == math.MinInt64 && y.i == -1) {
		if x.i%y.i == 0 {
			return num{i: x.i / y.i, isInt: true}
		}
		return num{f: float64(x.i) / float64(y.i)}
	}
	q, r := new(big.Int).QuoRem(x.bigInt(), y.bigInt(), new(big.Int))
	if r.Sign() == 0 {
		return bigNum(q)
	}
	f, _ := new(big.Rat).SetFrac(x.bigInt(), y.bigInt()).Float64()
	return num{f: f}
}

// remInts is x % y with the sign of x, as math.Mod.
func remInts(x, y num) num {
	if x.big == nil && y.big == nil {
		if y.i == -1 {
			return num{isInt: true}
		}
		return num{i: x.i % y.i, isInt: true}
	}
	return bigNum(new(big.Int).Rem(x.bigInt(), y.bigInt()))
}

func negNum(x num) num {
	switch {
	case !x.isInt:
		return num{f: -x.f}
	case x.big == nil && x.i != math.MinInt64:
		return num{i: -x.i, isInt: true}
	}
	return bigNum(new(big.Int).Neg(x.bigInt()))
}

func (n num) isZero() bool {
	if n.isInt {
		return n.big == nil && n.i == 0
	}
	return n.f == 0
}

// numberValue is the canonical JSON value of a Go number: json.Number for
// every integer type, float64 for the float types.
func numberValue(v any) (any, bool) {
	switch n := v.(type) {
	case json.Number, float64:
		return v, true
	case float32:
		return float64(n), true
	}
	n, ok := readNum(v)
	if !ok {
		return nil, false
	}
	return n.value(), true
}

// Float reads a number as float64, for callers that need a quantity (the
// seconds of a Wait); ok is false for anything that is not a number.
func Float(v any) (float64, bool) {
	n, ok := readNum(v)
	if !ok {
		return 0, false
	}
	return n.float(), true
}
