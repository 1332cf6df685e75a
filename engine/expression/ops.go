package expression

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Internal function names. The rewrite pass turns CloudFlow operators and
// member access into calls to these so that JSON semantics (one number
// type, missing data is null, readable type errors) hold instead of expr's
// Go-typed ones. The "$" prefix keeps them out of reach of authors: the
// validator only lets through the public built-ins.
const (
	fnPath = "$path"
	fnEq   = "$eq"
	fnNe   = "$ne"
	fnLt   = "$lt"
	fnLe   = "$le"
	fnGt   = "$gt"
	fnGe   = "$ge"
	fnAdd  = "$add"
	fnSub  = "$sub"
	fnMul  = "$mul"
	fnDiv  = "$div"
	fnMod  = "$mod"
	fnNeg  = "$neg"
	fnNot  = "$not"
	fnIn   = "$in"
	fnBool = "$bool" // second argument names the operator for the message

	// randName is the env field randomInt's hidden last argument reads.
	randName = "$Rand"
)

// binaryFuncs maps CloudFlow binary operators to internal functions; && and
// || stay native so that short-circuiting is kept.
var binaryFuncs = map[string]string{
	"==": fnEq, "!=": fnNe,
	"<": fnLt, "<=": fnLe, ">": fnGt, ">=": fnGe,
	"+": fnAdd, "-": fnSub, "*": fnMul, "/": fnDiv, "%": fnMod,
	"in": fnIn,
}

type internalFunc func(args ...any) (any, error)

// internalFuncs is the read-only table of operator implementations.
var internalFuncs = map[string]internalFunc{
	fnPath: opPath,
	fnEq:   func(a ...any) (any, error) { return jsonEqual(a[0], a[1]), nil },
	fnNe:   func(a ...any) (any, error) { return !jsonEqual(a[0], a[1]), nil },
	fnLt:   func(a ...any) (any, error) { return order("<", a[0], a[1], func(c int) bool { return c < 0 }) },
	fnLe:   func(a ...any) (any, error) { return order("<=", a[0], a[1], func(c int) bool { return c <= 0 }) },
	fnGt:   func(a ...any) (any, error) { return order(">", a[0], a[1], func(c int) bool { return c > 0 }) },
	fnGe:   func(a ...any) (any, error) { return order(">=", a[0], a[1], func(c int) bool { return c >= 0 }) },
	fnAdd:  opAdd,
	fnSub:  arith("-", intSub.apply, func(x, y float64) float64 { return x - y }),
	fnMul:  arith("*", intMul.apply, func(x, y float64) float64 { return x * y }),
	fnDiv:  divide("/", divInts, func(x, y float64) float64 { return x / y }, "division by zero"),
	fnMod:  divide("%", remInts, math.Mod, "modulo by zero"),
	fnNeg:  opNeg,
	fnNot:  opNot,
	fnIn:   opIn,
	fnBool: opBool,
}

// opPath walks a whole member chain ($Input.a.b[0]) in one call, which is
// both the null-safe semantics and cheaper than one VM call per step.
func opPath(args ...any) (any, error) {
	v := args[0]
	for _, k := range args[1:] {
		if v == nil {
			return nil, nil
		}
		v = fetch(v, k)
	}
	return v, nil
}

// order implements < <= > >= for two numbers (by value, integers exactly)
// or two strings only; anything else (including null) is an error naming
// both types, because silently answering false would hide mistakes in
// Choice conditions.
func order(op string, a, b any, ok func(int) bool) (any, error) {
	if x, isNum := readNum(a); isNum {
		if y, isNum := readNum(b); isNum {
			if x.isNaN() || y.isNaN() {
				return false, nil // NaN cannot come from JSON; be safe anyway
			}
			return ok(cmpNum(x, y)), nil
		}
	}
	if x, isStr := a.(string); isStr {
		if y, isStr := b.(string); isStr {
			return ok(strings.Compare(x, y)), nil
		}
	}
	return nil, fmt.Errorf("cannot compare %s %s %s: %s needs two numbers or two strings", typeName(a), op, typeName(b), op)
}

// result is the JSON value of an arithmetic result; a decimal JSON cannot
// carry (overflow to ±Inf) is an error.
func result(op string, n num) (any, error) {
	if !n.isInt && (math.IsInf(n.f, 0) || math.IsNaN(n.f)) {
		return nil, fmt.Errorf("%s: result is not a finite number", op)
	}
	return n.value(), nil
}

// operands reads both sides of an arithmetic operator.
func operands(op string, a, b any) (num, num, error) {
	x, okx := readNum(a)
	y, oky := readNum(b)
	if !okx || !oky {
		return num{}, num{}, fmt.Errorf("cannot compute %s %s %s: %s needs two numbers", typeName(a), op, typeName(b), op)
	}
	return x, y, nil
}

// compute applies an operator: exactly on two integers, in float64 otherwise.
func compute(op string, x, y num, ints func(x, y num) num, floats func(x, y float64) float64) (any, error) {
	if x.isInt && y.isInt {
		return ints(x, y).value(), nil
	}
	return result(op, num{f: floats(x.float(), y.float())})
}

// arith is an arithmetic operator on two numbers.
func arith(op string, ints func(x, y num) num, floats func(x, y float64) float64) internalFunc {
	return func(a ...any) (any, error) {
		x, y, err := operands(op, a[0], a[1])
		if err != nil {
			return nil, err
		}
		return compute(op, x, y, ints, floats)
	}
}

// divide is arith for / and %, which refuse a zero divisor.
func divide(op string, ints func(x, y num) num, floats func(x, y float64) float64, zero string) internalFunc {
	return func(a ...any) (any, error) {
		x, y, err := operands(op, a[0], a[1])
		if err != nil {
			return nil, err
		}
		if y.isZero() {
			return nil, errors.New(zero)
		}
		return compute(op, x, y, ints, floats)
	}
}

// opAdd adds numbers or concatenates strings; mixing them is an error
// rather than an implicit conversion.
func opAdd(a ...any) (any, error) {
	if x, ok := a[0].(string); ok {
		if y, ok := a[1].(string); ok {
			return x + y, nil
		}
	}
	x, okx := readNum(a[0])
	y, oky := readNum(a[1])
	if !okx || !oky {
		return nil, fmt.Errorf("cannot compute %s + %s: + needs two numbers or two strings", typeName(a[0]), typeName(a[1]))
	}
	return compute("+", x, y, intAdd.apply, func(x, y float64) float64 { return x + y })
}

func opNeg(a ...any) (any, error) {
	x, ok := readNum(a[0])
	if !ok {
		return nil, fmt.Errorf("cannot negate %s: unary - needs a number", article(a[0]))
	}
	return negNum(x).value(), nil
}

func opNot(a ...any) (any, error) {
	b, ok := a[0].(bool)
	if !ok {
		return nil, fmt.Errorf("! needs true or false, got %s", article(a[0]))
	}
	return !b, nil
}

// opBool guards the operands of && and ||, whose native opcodes would
// otherwise fail with a Go type-assertion message.
func opBool(a ...any) (any, error) {
	b, ok := a[0].(bool)
	if !ok {
		return nil, fmt.Errorf("%v needs true or false on both sides, got %s", a[1], article(a[0]))
	}
	return b, nil
}

// opIn: element of an array (by JSON equality) or key of an object. A null
// right side is missing data, hence false; other types are an error.
func opIn(a ...any) (any, error) {
	x, coll := a[0], a[1]
	switch c := coll.(type) {
	case nil:
		return false, nil
	case []any:
		for _, e := range c {
			if jsonEqual(x, e) {
				return true, nil
			}
		}
		return false, nil
	case map[string]any:
		k, ok := x.(string)
		if !ok {
			return false, nil
		}
		_, found := c[k]
		return found, nil
	}
	if arr, ok := asArray(coll); ok {
		return opIn(x, arr)
	}
	if obj, ok := asObject(coll); ok {
		return opIn(x, obj)
	}
	return nil, fmt.Errorf("cannot evaluate %s in %s: in needs an array or an object on the right", typeName(x), typeName(coll))
}
