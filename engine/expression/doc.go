// Package expression evaluates Alibaba Cloud CloudFlow expressions offline:
// Choice conditions, ".$" constructor values (InputConstructor,
// OutputConstructor, Parameters, GlobalConstructor), ItemsPath and
// Seconds.$.
//
// Expressions are parsed by expr-lang/expr, whose grammar is a superset of
// CloudFlow's. Compile rejects everything outside CloudFlow's documented
// subset (ternary, ??, pipes, closures, let, matches/contains/startsWith/
// endsWith, ranges, slices, not/and/or keywords, comments, hex/octal/_
// numbers, byte strings, method calls, unquoted object keys, chained
// comparisons, unknown functions and variables), then rewrites operators and
// member access into calls with JSON semantics. expr's own built-ins are
// disabled.
//
// # Values and operators
//
// Values are JSON values: nil, bool, json.Number, float64, string, []any
// and map[string]any. Decode data with DecodeJSON, which keeps every number
// as json.Number, its text: a number no expression computes with comes out
// with the digits it came in with. Inputs may also hold other Go number
// types, []T or map[string]T; they are read as the JSON equivalent (Go
// integers as json.Number). Results are normalised the same way (computed
// integers as json.Number, computed decimals as float64), may share
// structure with the Env and should be treated as read-only.
//
// Numbers: integers (no fraction, no exponent) compute and compare exactly
// at any size (int64, then math/big); a number with a fraction or an
// exponent computes as a float64, as does a quotient with a remainder; a
// whole float64 within ±2^53 counts as an integer; an integer and a decimal
// compare by value, exactly. Integer literals may exceed int64.
//
//   - Member access (.f, ["k"], [i]) never fails: an absent key, an index out
//     of range, a negative or fractional index, or a step through null or a
//     scalar all give null.
//   - == and != compare by JSON value (1 == 1.0, arrays and objects deeply,
//     different types are unequal, null == null).
//   - < <= > >= need two numbers or two strings (strings by byte order);
//     anything else is an error naming both types.
//   - + adds numbers or concatenates two strings; - * / % need numbers; /
//     and % by zero and non-finite results are errors; % takes the sign of
//     the dividend, as math.Mod.
//   - !, && and || need booleans (&& and || short-circuit); null is an error.
//   - x in array tests JSON equality with an element; k in object tests a
//     string key; x in null is false; any other right side is an error.
//   - null and nil are both the null literal; strings may use "…", '…' or
//     backticks.
//
// # Built-in functions
//
// At most 10 levels of nested calls: an 11th is refused by Compile at its
// column (operators and literals between calls add no level). Argument
// counts are checked at compile time; types at run time. Where Alibaba's
// documentation is thin:
//
//   - format(template, values...): each {} in turn becomes the next value,
//     strings as is and other values as compact JSON (no HTML escaping); too
//     few values is an error, surplus values are ignored.
//   - arrayContains(array, value), arrayUnique(array): JSON equality;
//     arrayUnique keeps the first occurrence, in order.
//   - fromBase64(text): standard or URL alphabet, padded or not;
//     toBase64(text): the UTF-8 bytes in the standard alphabet, padded.
//   - stringToJson(text), alias fromJSON: any JSON value.
//   - hash(text, algorithm): lower-case hex digest; MD5, SHA-1, SHA-256,
//     SHA-512, case-insensitive, dash optional.
//   - jsonMerge(base, override): shallow merge into a new object, override's
//     keys win.
//   - length(value): characters of a string, elements of an array, keys of
//     an object, as an integer.
//   - mapKeys(object): sorted keys; mapValues(object): values in key order.
//   - toArray(values...): its arguments, whatever they are, as a new array
//     (the page: "a variable number of arguments"); toArray() is [] and
//     toArray([1]) is [[1]].
//   - split(text, separator): every occurrence; "" splits into characters.
//   - regexMatchString(pattern, text): Go RE2, unanchored like
//     regexp.MatchString; constant patterns are compiled (and checked) once
//     by Compile.
//   - get(container, keyOrIndex): member access as a function, null when
//     absent.
//   - intAdd(a, b): a and b must be integers, of any size; the sum is exact.
//   - randomInt(min, max): an integer in [min, max) from Env.Rand; min and
//     max within ±2^63.
//   - uuid(): a version 4 UUID in lower case, its 16 bytes drawn from
//     Env.Rand (crypto/rand when nil).
//
// Functions and operators never see null as "missing, so skip": passing
// null where a string, array or object is needed is an error, except for
// get, toArray and the right side of in.
package expression
