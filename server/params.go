package server

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// param is one query or form parameter, decoded.
type param struct{ name, value string }

// params keeps the parameters in the order sent. A request has a dozen or
// so, and a slice scanned in order costs less than url.Values' map of
// slices, which a busy server would build and drop on every call.
type params []param

// get returns the first value of name, or "".
func (ps params) get(name string) string {
	v, _ := ps.lookup(name)
	return v
}

// lookup returns the first value of name and whether it was sent at all:
// UpdateFlow changes only what is given, and an empty Description is a change.
func (ps params) lookup(name string) (string, bool) {
	for _, p := range ps {
		if p.name == name {
			return p.value, true
		}
	}
	return "", false
}

// parseParams appends the parameters of a query string or form body to dst,
// with url.ParseQuery's rules: '&' separates, '+' is a space, a ';' is an
// error. A name or value with nothing to decode is kept as a substring.
func parseParams(dst params, raw string) (params, error) {
	if strings.IndexByte(raw, ';') >= 0 {
		return dst, errors.New("a ';' separates nothing: use '&'")
	}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		n, err := unescape(name)
		if err != nil {
			return dst, fmt.Errorf("parameter %q: %w", clipped(name), err)
		}
		v, err := unescape(value)
		if err != nil {
			return dst, fmt.Errorf("parameter %q: %w", clipped(n), err)
		}
		dst = append(dst, param{n, v})
	}
	return dst, nil
}

func unescape(s string) (string, error) {
	if strings.IndexByte(s, '%') < 0 && strings.IndexByte(s, '+') < 0 {
		return s, nil
	}
	return url.QueryUnescape(s)
}

func clipped(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// required names every one of the parameters that is absent or empty.
func (rq *request) required(names ...string) *apiError {
	var absent []string
	for _, n := range names {
		if rq.params.get(n) == "" {
			absent = append(absent, n)
		}
	}
	if len(absent) > 0 {
		return missing(absent...)
	}
	return nil
}

// wholeNumber reads an optional whole number from lo to hi; absent is 0.
func (rq *request) wholeNumber(param string, lo, hi int) (int, *apiError) {
	v := rq.params.get(param)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, invalid("%s %q: use a whole number from %d to %d", param, v, lo, hi)
	}
	return n, nil
}
