package expression

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// builtinSpec describes one CloudFlow built-in. params name the arguments
// for arity and type errors; a variadic spec repeats its last parameter
// zero or more times. A random spec is handed Env.Rand as a hidden last
// argument (see call.rand), so that a run given a source is reproducible.
type builtinSpec struct {
	params   []string
	variadic bool
	random   bool
	impl     func(c *call) (any, error)
}

// call is one invocation: the function name and its evaluated arguments.
type call struct {
	name string
	spec *builtinSpec
	args []any
	st   *progState
}

// progState is per-Program data shared by its built-ins; it is written only
// while compiling, so concurrent Evals read it without locks.
type progState struct {
	regex map[string]*regexp.Regexp // constant regexMatchString patterns
}

// builtins is the read-only table of CloudFlow's built-in functions.
var builtins = map[string]*builtinSpec{
	"arrayContains":    {params: []string{"array", "value"}, impl: fnArrayContains},
	"arrayUnique":      {params: []string{"array"}, impl: fnArrayUnique},
	"format":           {params: []string{"template", "values"}, variadic: true, impl: fnFormat},
	"fromBase64":       {params: []string{"text"}, impl: fnFromBase64},
	"fromJSON":         {params: []string{"text"}, impl: fnStringToJSON},
	"get":              {params: []string{"container", "keyOrIndex"}, impl: fnGet},
	"hash":             {params: []string{"text", "algorithm"}, impl: fnHash},
	"intAdd":           {params: []string{"a", "b"}, impl: fnIntAdd},
	"jsonMerge":        {params: []string{"base", "override"}, impl: fnJSONMerge},
	"length":           {params: []string{"value"}, impl: fnLength},
	"mapKeys":          {params: []string{"object"}, impl: fnMapKeys},
	"mapValues":        {params: []string{"object"}, impl: fnMapValues},
	"randomInt":        {params: []string{"min", "max"}, random: true, impl: fnRandomInt},
	"regexMatchString": {params: []string{"pattern", "text"}, impl: fnRegexMatch},
	"split":            {params: []string{"text", "separator"}, impl: fnSplit},
	"stringToJson":     {params: []string{"text"}, impl: fnStringToJSON},
	"toArray":          {params: []string{"values"}, variadic: true, impl: fnToArray},
	"toBase64":         {params: []string{"text"}, impl: fnToBase64},
	"uuid":             {impl: fnUUID, random: true},
}

// Functions returns the sorted names of the built-in functions.
func Functions() []string {
	names := make([]string, 0, len(builtins))
	for name := range builtins {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// arityError reports a wrong argument count at compile time, or "".
func (s *builtinSpec) arityError(name string, got int) string {
	want := len(s.params)
	list := strings.Join(s.params, ", ")
	if s.variadic {
		want--
		if got >= want {
			return ""
		}
		return fmt.Sprintf("%s: want at least %d %s (%s...), got %d", name, want, plural(want, "argument"), list, got)
	}
	if got == want {
		return ""
	}
	return fmt.Sprintf("%s: want %d %s (%s), got %d", name, want, plural(want, "argument"), list, got)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// builtinFunc adapts a spec to expr's function signature for one Program.
func builtinFunc(name string, spec *builtinSpec, st *progState) func(args ...any) (any, error) {
	return func(args ...any) (any, error) {
		return spec.impl(&call{name: name, spec: spec, args: args, st: st})
	}
}

// rand is the hidden random source of a random spec: Env.Rand, or nil.
func (c *call) rand() func(int64) int64 {
	r, _ := c.args[len(c.args)-1].(func(int64) int64)
	return r
}

func (c *call) param(i int) string {
	if i >= len(c.spec.params) {
		i = len(c.spec.params) - 1
	}
	return c.spec.params[i]
}

func (c *call) typeErr(i int, want string) error {
	return fmt.Errorf("%s: argument %d (%s) must be %s, got %s", c.name, i+1, c.param(i), want, typeName(c.args[i]))
}

func (c *call) str(i int) (string, error) {
	if s, ok := c.args[i].(string); ok {
		return s, nil
	}
	return "", c.typeErr(i, "a string")
}

func (c *call) arr(i int) ([]any, error) {
	if a, ok := asArray(c.args[i]); ok {
		return a, nil
	}
	return nil, c.typeErr(i, "an array")
}

func (c *call) obj(i int) (map[string]any, error) {
	if m, ok := asObject(c.args[i]); ok {
		return m, nil
	}
	return nil, c.typeErr(i, "an object")
}

// integer reads argument i as an exact integer of any size.
func (c *call) integer(i int) (num, error) {
	n, ok := readNum(c.args[i])
	if !ok {
		return num{}, c.typeErr(i, "an integer")
	}
	if !n.isInt {
		return num{}, fmt.Errorf("%s: argument %d (%s) must be an integer, got %v", c.name, i+1, c.param(i), c.args[i])
	}
	return n, nil
}

// int64Arg reads argument i as an integer within int64.
func (c *call) int64Arg(i int) (int64, error) {
	n, err := c.integer(i)
	if err != nil {
		return 0, err
	}
	if n.big != nil {
		return 0, fmt.Errorf("%s: argument %d (%s) must be within ±2^63, got %v", c.name, i+1, c.param(i), c.args[i])
	}
	return n.i, nil
}
