package flowtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/itchyny/gojq"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/jsondiff"
)

// Outcome is what a run of a case gave, as the expectations see it.
type Outcome struct {
	Status       string
	ErrorCode    string
	ErrorMessage string
	Output       string // JSON text; "" when the run gave none
	States       []string
	HasStates    bool // the backend reports the states visited
	Duration     time.Duration
}

// Failure is one expectation not met.
type Failure struct {
	Expect string          `json:"expect"` // "status", "output", …
	Reason string          `json:"reason"`
	Diff   []jsondiff.Line `json:"diff,omitempty"` // expected → actual, for output
	State  string          `json:"-"`              // the state the failure points at, for the trace
}

// assertVars are the variables an assertion sees besides the output (.).
var assertVars = []string{"$input", "$status", "$error"}

// Check compares an outcome with a case's expectations.
func Check(c *Case, o Outcome) []Failure {
	e := c.Expect
	var fs []Failure
	add := func(f Failure) { fs = append(fs, f) }
	switch {
	case e.Status != "" && e.Status != o.Status:
		add(Failure{Expect: "status", Reason: fmt.Sprintf("want %s, got %s%s", e.Status, o.Status, errorNote(o))})
	case e.Status == "" && e.ErrorCode == "" && e.ErrorMessage == nil && o.Status != string(fnf.StatusSucceeded):
		// A failed execution never passes unnoticed: a case that expects
		// no status and no error expects success.
		add(Failure{Expect: "status", Reason: fmt.Sprintf("want Succeeded (a case that expects no status or error expects success), got %s%s", o.Status, errorNote(o))})
	}
	if e.ErrorCode != "" && e.ErrorCode != o.ErrorCode {
		add(Failure{Expect: "error.code", Reason: fmt.Sprintf("want %q, got %q", e.ErrorCode, o.ErrorCode)})
	}
	if e.ErrorMessage != nil && !e.ErrorMessage.MatchString(o.ErrorMessage) {
		add(Failure{Expect: "error.message", Reason: fmt.Sprintf("%q does not match /%s/", o.ErrorMessage, e.ErrorMessage)})
	}
	if e.Output != nil {
		if f, ok := checkExact(*e.Output, o); !ok {
			add(f)
		}
	}
	if e.OutputSubset != nil {
		if f, ok := checkSubset(*e.OutputSubset, o); !ok {
			add(f)
		}
	}
	for _, a := range e.Assert {
		if reason := a.check(c.Input, o); reason != "" {
			add(Failure{Expect: "assert", Reason: fmt.Sprintf("%s: %s", a.Source, reason)})
		}
	}
	if e.HasStates {
		if f, ok := checkStates(e.States, o); !ok {
			add(f)
		}
	}
	if e.MaxDuration > 0 && o.Duration > e.MaxDuration {
		add(Failure{Expect: "maxDuration", Reason: fmt.Sprintf("took %s, more than %s", o.Duration.Round(time.Millisecond), e.MaxDuration)})
	}
	return fs
}

func errorNote(o Outcome) string {
	if o.ErrorCode == "" {
		return ""
	}
	return fmt.Sprintf(" (%s: %s)", o.ErrorCode, o.ErrorMessage)
}

func checkExact(want string, o Outcome) (Failure, bool) {
	if o.Output == "" {
		return Failure{Expect: "output", Reason: "the run gave no output" + errorNote(o)}, false
	}
	d, err := jsondiff.Outputs([]byte(want), []byte(o.Output))
	if err != nil || d.Text {
		return Failure{Expect: "output", Reason: "the output is not JSON"}, false
	}
	for _, l := range d.Lines {
		if l.Op != '=' {
			return Failure{Expect: "output", Reason: "differs from the expected output (- expected, + actual)", Diff: d.Lines}, false
		}
	}
	return Failure{}, true
}

func checkSubset(want string, o Outcome) (Failure, bool) {
	if o.Output == "" {
		return Failure{Expect: "outputSubset", Reason: "the run gave no output" + errorNote(o)}, false
	}
	w, err1 := decode(want)
	g, err2 := decode(o.Output)
	if err1 != nil || err2 != nil {
		return Failure{Expect: "outputSubset", Reason: "the output is not JSON"}, false
	}
	var diffs []jsondiff.Line
	subset("$", w, g, &diffs)
	if len(diffs) > 0 {
		return Failure{Expect: "outputSubset", Reason: "the output does not contain the expected values (- expected, + actual)", Diff: diffs}, false
	}
	return Failure{}, true
}

// subset records where got does not contain want: objects may hold more
// keys; arrays and scalars must match element by element.
func subset(path string, want, got any, out *[]jsondiff.Line) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*out = append(*out, jsondiff.Line{Op: '~', Path: path, Left: compact(want), Right: compact(got)})
			return
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				*out = append(*out, jsondiff.Line{Op: '-', Path: path + "." + k, Left: compact(w[k])})
				continue
			}
			subset(path+"."+k, w[k], gv, out)
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*out = append(*out, jsondiff.Line{Op: '~', Path: path, Left: compact(want), Right: compact(got)})
			return
		}
		for i := range w {
			subset(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], out)
		}
	default:
		if !sameScalar(want, got) {
			*out = append(*out, jsondiff.Line{Op: '~', Path: path, Left: compact(want), Right: compact(got)})
		}
	}
}

// sameScalar compares numbers by exact decimal value, as DiffOutputs does.
func sameScalar(a, b any) bool {
	na, okA := a.(json.Number)
	nb, okB := b.(json.Number)
	if okA && okB {
		ra, ok1 := new(big.Rat).SetString(string(na))
		rb, ok2 := new(big.Rat).SetString(string(nb))
		return ok1 && ok2 && ra.Cmp(rb) == 0
	}
	return a == b
}

func decode(s string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

func compact(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// check runs the assertion on the output; "" when it gave true.
func (a Assertion) check(input string, o Outcome) string {
	var out, in any = nil, map[string]any{}
	if o.Output != "" {
		if err := json.Unmarshal([]byte(o.Output), &out); err != nil {
			return "the output is not JSON"
		}
	}
	_ = json.Unmarshal([]byte(input), &in)
	var errv any
	if o.ErrorCode != "" {
		errv = map[string]any{"code": o.ErrorCode, "message": o.ErrorMessage}
	}
	it := a.code.Run(out, in, o.Status, errv)
	v, ok := it.Next()
	switch {
	case !ok:
		return "gave no value"
	case v == true:
		return ""
	}
	if err, isErr := v.(error); isErr {
		return "failed: " + err.Error()
	}
	got, _ := gojq.Marshal(v)
	return fmt.Sprintf("gave %s, not true", got)
}

func checkStates(want []string, o Outcome) (Failure, bool) {
	if !o.HasStates {
		return Failure{}, true // noted by the runner
	}
	if slices.Equal(want, o.States) {
		return Failure{}, true
	}
	f := Failure{Expect: "states", Reason: fmt.Sprintf("want %s, got %s", strings.Join(want, " → "), strings.Join(o.States, " → "))}
	for i, s := range o.States {
		if i >= len(want) || want[i] != s {
			f.State = s
			break
		}
	}
	return f, false
}

// diffJSON is a diff line in --json output.
type diffJSON struct {
	Op       string `json:"op"` // "~" changed, "+" only in the actual, "-" only expected, "=" unchanged
	Path     string `json:"path,omitempty"`
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
	Same     int    `json:"same,omitempty"`
}

// MarshalJSON writes the diff with named fields and readable ops.
func (f Failure) MarshalJSON() ([]byte, error) {
	type plain Failure
	out := struct {
		plain
		Diff []diffJSON `json:"diff,omitempty"`
	}{plain: plain(f)}
	for _, l := range f.Diff {
		out.Diff = append(out.Diff, diffJSON{Op: string(l.Op), Path: l.Path, Expected: l.Left, Actual: l.Right, Same: l.Same})
	}
	return json.Marshal(out)
}
