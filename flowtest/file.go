// Package flowtest reads flow test files (*.test.yaml), runs their cases on
// the local engine and checks the expectations: a flow's cases written down
// once and run on every change.
package flowtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/itchyny/gojq"
	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/internal/safefile"
)

// Suffix names a test file: the engine's rule, so that the flows directory
// never reads one as a flow.
const Suffix = engine.TestFileSuffix

// Size bounds of what a test file reads.
const (
	MaxFileBytes  = 1 << 20
	MaxInputBytes = 4 << 20
)

// File is one test file: a flow and its cases.
type File struct {
	Path string
	Flow string
	// FlowAt is where the flow is named, for an error about the flow.
	FlowAt [2]int
	Cases  []*Case
	doc    yaml.Node // kept for --update, which rewrites it in place
}

// Case is one execution and what it must give.
type Case struct {
	Name     string
	Line     int
	Input    string // JSON object text
	TestCase string // the mock test case; "" for the flow's default
	Skip     string // why the case is not run; "" runs it
	Expect   Expect
	output   *yaml.Node // the exact-output node, for --update
}

// Expect is what a case checks; unset fields are not checked.
type Expect struct {
	Status       string
	ErrorCode    string
	ErrorMessage *regexp.Regexp
	Output       *string // exact JSON
	OutputSubset *string // JSON that the output must contain
	Assert       []Assertion
	States       []string
	HasStates    bool
	MaxDuration  time.Duration
}

// Assertion is a jq expression that must give true on the output.
type Assertion struct {
	Source string
	code   *gojq.Code
}

// Error is a problem of a test file, at file:line:column.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// Errors are all the problems found in test files.
type Errors []*Error

func (es Errors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Find lists the test files under paths (files named as given, directories
// walked), sorted, without duplicates.
func Find(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("test path %s: %w", p, err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.HasSuffix(d.Name(), Suffix) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("test path %s: %w", p, err)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Load reads and parses a test file.
func Load(path string) (*File, error) {
	data, err := safefile.Read(path, MaxFileBytes)
	if err != nil {
		return nil, Errors{{File: path, Line: 1, Col: 1, Msg: err.Error()}}
	}
	return Parse(path, data)
}

// Parse parses a test file's text; every problem is an *Error in Errors.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path}
	p := &parser{file: path, dir: filepath.Dir(path)}
	if err := yaml.Unmarshal(data, &f.doc); err != nil {
		return nil, Errors{{File: path, Line: 1, Col: 1, Msg: "not YAML: " + err.Error()}}
	}
	if len(f.doc.Content) == 0 {
		return nil, Errors{{File: path, Line: 1, Col: 1, Msg: "empty test file: it needs flow and cases"}}
	}
	root := f.doc.Content[0]
	p.keys(root, "test file", map[string]func(*yaml.Node){
		"flow": func(n *yaml.Node) {
			f.Flow, f.FlowAt = p.str(n, "flow"), [2]int{n.Line, n.Column}
		},
		"cases": func(n *yaml.Node) { f.Cases = p.cases(n) },
	}, "flow", "cases")
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return f, nil
}

type parser struct {
	file string
	dir  string
	errs Errors
}

func (p *parser) fail(n *yaml.Node, format string, a ...any) {
	p.errs = append(p.errs, &Error{File: p.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, a...)})
}

// keys walks a mapping: each known key to its handler, an unknown one an
// error naming the nearest known key, a missing required one an error.
func (p *parser) keys(n *yaml.Node, what string, known map[string]func(*yaml.Node), required ...string) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, "%s: want a mapping of keys", what)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		h, ok := known[k.Value]
		switch {
		case !ok:
			p.fail(k, "%s: unknown key %q%s", what, k.Value, suggest(k.Value, known))
		case seen[k.Value]:
			p.fail(k, "%s: key %q given twice", what, k.Value)
		default:
			seen[k.Value] = true
			h(v)
		}
	}
	for _, r := range required {
		if !seen[r] {
			p.fail(n, "%s: missing key %q", what, r)
		}
	}
}

func (p *parser) str(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.fail(n, "%s: want a string", key)
		return ""
	}
	return n.Value
}

func (p *parser) cases(n *yaml.Node) []*Case {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "cases: want a list of cases")
		return nil
	}
	var out []*Case
	names := map[string]bool{}
	for _, cn := range n.Content {
		c := &Case{Line: cn.Line, Input: "{}"}
		p.keys(cn, "case", map[string]func(*yaml.Node){
			"name":     func(v *yaml.Node) { c.Name = p.str(v, "name") },
			"input":    func(v *yaml.Node) { c.Input = p.input(v) },
			"testCase": func(v *yaml.Node) { c.TestCase = p.str(v, "testCase") },
			"skip":     func(v *yaml.Node) { c.Skip = p.str(v, "skip") },
			"expect":   func(v *yaml.Node) { p.expect(v, c) },
		}, "name", "expect")
		if c.Name != "" && names[c.Name] {
			p.fail(cn, "case %q: another case has that name", c.Name)
		}
		names[c.Name] = true
		out = append(out, c)
	}
	return out
}

// input is an inline object, JSON text, or "@path" (relative to the test
// file) of a JSON file.
func (p *parser) input(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && strings.HasPrefix(n.Value, "@") {
		path := n.Value[1:]
		if !filepath.IsAbs(path) {
			path = filepath.Join(p.dir, path)
		}
		data, err := safefile.Read(path, MaxInputBytes)
		if err != nil {
			p.fail(n, "input %s: %v", n.Value, err)
			return "{}"
		}
		return p.object(n, data)
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!str" {
		return p.object(n, []byte(n.Value))
	}
	j, err := nodeJSON(n)
	if err != nil {
		p.fail(n, "input: %v", err)
		return "{}"
	}
	return p.object(n, j)
}

// object checks that data is one JSON object, as an execution's input is.
func (p *parser) object(n *yaml.Node, data []byte) string {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil || m == nil {
		p.fail(n, "input: want a JSON object (inline, JSON text or @file)")
		return "{}"
	}
	return string(data)
}

func (p *parser) expect(n *yaml.Node, c *Case) {
	e := &c.Expect
	p.keys(n, "expect", map[string]func(*yaml.Node){
		"status": func(v *yaml.Node) {
			e.Status = p.str(v, "status")
			if !slices.Contains(statuses, e.Status) { // "" too: leave the key out for none
				p.fail(v, "status %q: want one of %s", e.Status, strings.Join(statuses, ", "))
			}
		},
		"error": func(v *yaml.Node) {
			p.keys(v, "error", map[string]func(*yaml.Node){
				"code": func(v *yaml.Node) { e.ErrorCode = p.str(v, "code") },
				"message": func(v *yaml.Node) {
					re, err := regexp.Compile(p.str(v, "message"))
					if err != nil {
						p.fail(v, "error message: not a regular expression: %v", err)
					}
					e.ErrorMessage = re
				},
			})
		},
		"output": func(v *yaml.Node) {
			j := p.json(v, "output")
			e.Output, c.output = &j, v
		},
		"outputSubset": func(v *yaml.Node) {
			j := p.json(v, "outputSubset")
			e.OutputSubset = &j
		},
		"assert": func(v *yaml.Node) { e.Assert = p.asserts(v) },
		"states": func(v *yaml.Node) {
			e.HasStates = true
			if v.Kind != yaml.SequenceNode {
				p.fail(v, "states: want a list of state names")
				return
			}
			for _, s := range v.Content {
				e.States = append(e.States, p.str(s, "states"))
			}
		},
		"maxDuration": func(v *yaml.Node) {
			d, err := time.ParseDuration(p.str(v, "maxDuration"))
			if err != nil || d <= 0 {
				p.fail(v, "maxDuration %q: want a positive duration such as 500ms or 2s", v.Value)
			}
			e.MaxDuration = d
		},
	})
}

var statuses = []string{"Succeeded", "Failed", "TimedOut", "Stopped"}

func (p *parser) json(n *yaml.Node, key string) string {
	j, err := nodeJSON(n)
	if err != nil {
		p.fail(n, "%s: %v", key, err)
	}
	return string(j)
}

func (p *parser) asserts(n *yaml.Node) []Assertion {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, "assert: want a list of jq expressions")
		return nil
	}
	var out []Assertion
	for _, an := range n.Content {
		src := p.str(an, "assert")
		q, err := gojq.Parse(src)
		if err != nil {
			p.fail(an, "assert %q: %v", src, err)
			continue
		}
		code, err := gojq.Compile(q, gojq.WithVariables(assertVars))
		if err != nil {
			p.fail(an, "assert %q: %v", src, err)
			continue
		}
		out = append(out, Assertion{Source: src, code: code})
	}
	return out
}
