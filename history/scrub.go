package history

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/flowtui/flowtui/client/sign"
)

// minSecretBytes: shorter values under redacted keys are masked where they
// stand in JSON, and inside the whole input wherever it is quoted, but not
// wherever their few bytes occur in other text.
const minSecretBytes = 4

// scrubber masks, in any text, the values found under redacted keys and the
// input they came in, in the forms text carries them: as they are,
// JSON-escaped, and URL-encoded once or twice (a V2 string to sign, which a
// SignatureNotMatch message quotes, encodes the encoded request).
type scrubber struct{ rep *strings.Replacer }

// scrubberFor collects the secrets of a run's input and output; input is
// the text as sent, masked its redacted form.
func (r redactor) scrubberFor(input, masked, output string) scrubber {
	pairs := map[string]string{}
	if masked != input {
		addForms(pairs, input, masked)
	}
	for _, doc := range []string{input, output} {
		for _, v := range r.secrets(doc, 0) {
			if len(v) >= minSecretBytes {
				addForms(pairs, v, "***")
			}
		}
	}
	if len(pairs) == 0 {
		return scrubber{}
	}
	olds := make([]string, 0, len(pairs))
	for old := range pairs {
		olds = append(olds, old)
	}
	// The replacer tries its pairs in order: the longest first, so that the
	// whole input goes before the values inside it.
	sort.Slice(olds, func(i, j int) bool {
		return len(olds[i]) > len(olds[j]) || len(olds[i]) == len(olds[j]) && olds[i] < olds[j]
	})
	args := make([]string, 0, 2*len(olds))
	for _, old := range olds {
		args = append(args, old, pairs[old])
	}
	return scrubber{strings.NewReplacer(args...)}
}

func (s scrubber) text(t string) string {
	if s.rep == nil {
		return t
	}
	return s.rep.Replace(t)
}

// addForms adds old → new in each form text may carry them in.
func addForms(pairs map[string]string, old, new string) {
	escape := func(s string) string { q := quote(s); return q[1 : len(q)-1] }
	for _, base := range []func(string) string{func(s string) string { return s }, escape} {
		for _, enc := range []func(string) string{
			func(s string) string { return s },
			url.QueryEscape, sign.Encode,
			func(s string) string { return sign.Encode(sign.Encode(s)) },
			func(s string) string { return sign.Encode(url.QueryEscape(s)) },
			func(s string) string { return url.QueryEscape(url.QueryEscape(s)) },
		} {
			if o := enc(base(old)); o != "" {
				pairs[o] = enc(base(new))
			}
		}
	}
}

// secrets lists the values under redacted keys in the JSON document s, at
// any depth and inside JSON carried as strings: a string's text, else the
// value's JSON.
func (r redactor) secrets(s string, depth int) []string {
	if !r.mayMatch(s) {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, val := range t {
				if !r.match(k) {
					walk(val)
					continue
				}
				if str, ok := val.(string); ok {
					out = append(out, str)
				} else if b, err := json.Marshal(val); err == nil {
					out = append(out, string(b))
				}
			}
		case []any:
			for _, val := range t {
				walk(val)
			}
		case string:
			if depth < maxNesting && looksJSON(t) {
				out = append(out, r.secrets(t, depth+1)...)
			}
		}
	}
	walk(v)
	return out
}
