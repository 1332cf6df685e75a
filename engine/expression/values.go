package expression

import (
	"encoding/json"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// typeName names a value the way a flow author thinks of it (JSON types),
// not the Go type, so error messages make sense outside Go.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case json.Number:
		return "number"
	}
	if _, ok := toNumber(v); ok {
		return "number"
	}
	switch reflect.ValueOf(v).Kind() {
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Map:
		return "object"
	}
	return reflect.TypeOf(v).String()
}

// article returns typeName with "a"/"an", for "condition is a number".
func article(v any) string {
	n := typeName(v)
	switch n {
	case "null":
		return n
	case "array", "object":
		return "an " + n
	}
	return "a " + n
}

// toNumber reads every numeric representation callers may hand us as a
// float64, for Go types readNum does not list itself; it is inexact beyond
// 2^53.
func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		return f, err == nil
	case float32:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	}
	return 0, false
}

// normScalar gives a Go number its canonical type (json.Number, or float64
// for the float types) and leaves everything else alone; it is cheap enough
// to apply on every member access.
func normScalar(v any) any {
	switch v.(type) {
	case nil, string, bool, json.Number, float64, map[string]any, []any:
		return v
	}
	if n, ok := numberValue(v); ok {
		return n
	}
	return v
}

// normalize returns v with all numbers as json.Number (float64 for a
// computed decimal) and all containers as
// map[string]any / []any, copying only the containers that change so that
// already-normal data (the common case) costs a walk and no allocation.
func normalize(v any) any {
	out, _ := normalizeChanged(v)
	return out
}

func normalizeChanged(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool, json.Number, float64:
		return v, false
	case map[string]any:
		var cp map[string]any
		for k, e := range x {
			ne, changed := normalizeChanged(e)
			if changed && cp == nil {
				cp = make(map[string]any, len(x))
				for k2, e2 := range x {
					cp[k2] = e2
				}
			}
			if cp != nil {
				cp[k] = ne
			}
		}
		if cp == nil {
			return v, false
		}
		return cp, true
	case []any:
		var cp []any
		for i, e := range x {
			ne, changed := normalizeChanged(e)
			if changed && cp == nil {
				cp = make([]any, len(x))
				copy(cp, x)
			}
			if cp != nil {
				cp[i] = ne
			}
		}
		if cp == nil {
			return v, false
		}
		return cp, true
	}
	if n, ok := numberValue(v); ok {
		return n, true
	}
	// Other slices and string-keyed maps (e.g. []string from Go callers).
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil, true
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out, true
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return v, false
		}
		if rv.IsNil() {
			return nil, true
		}
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			out[it.Key().String()] = normalize(it.Value().Interface())
		}
		return out, true
	}
	return v, false
}

// jsonEqual compares JSON values by value: numbers exactly by value whatever
// their Go type or text (1 == 1.0), containers element by element.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	if na, ok := readNum(a); ok {
		nb, ok := readNum(b)
		return ok && !na.isNaN() && !nb.isNaN() && cmpNum(na, nb) == 0
	}
	a, b = normalize(a), normalize(b)
	switch x := a.(type) {
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// fetch is member access with CloudFlow's "missing data is null" rule: an
// absent key, an index out of range or a step through a non-container all
// yield null instead of an error.
func fetch(from, key any) any {
	switch c := from.(type) {
	case nil:
		return nil
	case map[string]any:
		k, ok := key.(string)
		if !ok {
			return nil
		}
		return normScalar(c[k])
	case []any:
		i, ok := toIndex(key)
		if !ok || i >= len(c) {
			return nil
		}
		return normScalar(c[i])
	case string, bool, json.Number, float64:
		return nil
	}
	rv := reflect.ValueOf(from)
	switch rv.Kind() {
	case reflect.Map:
		k, ok := key.(string)
		if !ok || rv.Type().Key().Kind() != reflect.String {
			return nil
		}
		e := rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key()))
		if !e.IsValid() {
			return nil
		}
		return normScalar(e.Interface())
	case reflect.Slice, reflect.Array:
		i, ok := toIndex(key)
		if !ok || i >= rv.Len() {
			return nil
		}
		return normScalar(rv.Index(i).Interface())
	}
	return nil
}

// toIndex accepts non-negative integral numbers only; negative indexes are
// treated as absent rather than counted from the end (not documented for
// CloudFlow, and null is the safe reading).
func toIndex(key any) (int, bool) {
	n, ok := readNum(key)
	if !ok || !n.isInt || n.big != nil || n.i < 0 || n.i > math.MaxInt32 {
		return 0, false
	}
	return int(n.i), true
}

// sortedKeys lists an object's keys in byte order so that mapKeys,
// mapValues and toArray are deterministic.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// compactJSON renders a value without HTML escaping (format("{}", "<a>")
// must not print \u003c).
func compactJSON(v any) (string, error) {
	var sb strings.Builder
	enc := json.NewEncoder(&sb)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalize(v)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(sb.String(), "\n"), nil
}

// asObject and asArray accept the canonical container types and, through
// normalize, the other Go shapes callers might pass in.
func asObject(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	if v == nil {
		return nil, false
	}
	m, ok := normalize(v).(map[string]any)
	return m, ok
}

func asArray(v any) ([]any, bool) {
	if a, ok := v.([]any); ok {
		return a, true
	}
	if v == nil {
		return nil, false
	}
	a, ok := normalize(v).([]any)
	return a, ok
}

// sameNumbers returns v with every number written one way per value (1.0 as
// 1), so that equal values encode alike.
func sameNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = sameNumbers(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = sameNumbers(e)
		}
		return s
	}
	if n, ok := readNum(v); ok {
		return n.value()
	}
	return normalize(v)
}
