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

// toNumber accepts every numeric representation callers may hand us (JSON
// float64, YAML ints, json.Number) so the language only sees one number type.
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

// normScalar converts a numeric scalar to float64 and leaves everything else
// alone; it is cheap enough to apply on every member access.
func normScalar(v any) any {
	switch v.(type) {
	case nil, string, bool, float64, map[string]any, []any:
		return v
	}
	if f, ok := toNumber(v); ok {
		return f
	}
	return v
}

// normalize returns v with all numbers as float64 and all containers as
// map[string]any / []any, copying only the containers that change so that
// already-normal data (the common case) costs a walk and no allocation.
func normalize(v any) any {
	out, _ := normalizeChanged(v)
	return out
}

func normalizeChanged(v any) (any, bool) {
	switch x := v.(type) {
	case nil, string, bool, float64:
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
	if f, ok := toNumber(v); ok {
		return f, true
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

// jsonEqual compares JSON values by value: numbers numerically whatever
// their Go type, containers element by element.
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
	if fa, ok := toNumber(a); ok {
		fb, ok := toNumber(b)
		return ok && fa == fb
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
	case string, bool, float64:
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
	f, ok := toNumber(key)
	if !ok || f < 0 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, false
	}
	return int(f), true
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
