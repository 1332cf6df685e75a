package engine

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/fnf"
)

// Parse reads a CloudFlow definition written in YAML or JSON and validates it.
// file names the source in errors. A legacy FDL definition (version/type:
// flow/steps) parses with Legacy set, its steps in a form of their own. The error, when not nil, is a *DefinitionError.
func Parse(file string, data []byte) (*Definition, error) {
	return parseAt(file, data, 0, 0)
}

// parseAt parses a definition embedded in another file (a flow document's
// Definition), shifting positions by the given lines and columns.
func parseAt(file string, data []byte, dLine, dCol int) (*Definition, error) {
	p := &parser{file: file, dLine: dLine, dCol: dCol}
	if pos, deep := tooDeep(data); deep {
		p.addAt(Pos{pos.Line + p.dLine, pos.Col + p.dCol}, "", nestingMessage)
		return nil, p.err()
	}
	var doc yaml.Node
	if err := decodeNode(data, &doc); err != nil {
		p.problems = append(p.problems, p.decodeProblem(err))
		return nil, p.err()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.addAt(Pos{1 + p.dLine, 1 + p.dCol}, "", "the definition is empty")
		return nil, p.err()
	}
	root, ok := p.mapping(doc.Content[0], "", "the definition")
	if !ok {
		return nil, p.err()
	}
	if isLegacy(root) {
		return p.legacy(root)
	}
	root.onlyKeys(definitionKeys, "the definition")
	def := &Definition{
		Name:        root.str("Name"),
		Description: root.str("Description"),
		SpecVersion: root.str("SpecVersion"),
	}
	if t := root.str("Type"); t != "StateMachine" {
		p.add(root.valueOr("Type"), "", fmt.Sprintf("Type is %q; a CloudFlow definition has Type: StateMachine", t))
	}
	if v := def.SpecVersion; v != "" && v != "v1" && v != "v1beta1" {
		p.add(root.value("SpecVersion"), "", fmt.Sprintf("SpecVersion %q is not v1", v))
	}
	if def.Name != "" && !fnf.ValidName(def.Name) {
		p.add(root.value("Name"), "", fmt.Sprintf("Name %q is not a valid flow name (1–128 letters, digits, _ or -, starting with a letter or _)", def.Name))
	}
	def.Scope = *p.scope(root, "the flow")
	def.callback = p.callback
	p.validate(&def.Scope, "")
	p.checkChildren(&def.Scope)
	if err := p.err(); err != nil {
		return nil, err
	}
	return def, nil
}

// maxNesting bounds how deeply [ ] and { } may nest in a definition. The YAML
// scanner's work per token grows with the nesting, so a few kilobytes of
// brackets would take it seconds; definitions nest a few levels (JSON ones
// about four per Parallel or Map).
const maxNesting = 128

var nestingMessage = fmt.Sprintf("[ ] and { } nest more than %d levels deep; a definition needs far fewer: check the brackets", maxNesting)

// tooDeep reports where the flow-style nesting of data first passes
// maxNesting. Brackets in comments do not count; elsewhere, even inside
// strings, they do: that can only overcount, and no definition comes near.
func tooDeep(data []byte) (Pos, bool) {
	depth, line, col := 0, 1, 0
	comment := false
	for i, c := range data {
		col++
		switch {
		case c == '\n':
			line, col, comment = line+1, 0, false
		case comment:
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			comment = true
		case c == '[' || c == '{':
			if depth++; depth > maxNesting {
				return Pos{line, col}, true
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
	}
	return Pos{}, false
}

func isLegacy(root *mapping) bool {
	return root.value("steps") != nil || strings.EqualFold(root.str("type"), "flow") && root.value("version") != nil
}

// parser collects problems while it builds the definition.
type parser struct {
	file         string
	dLine, dCol  int
	problems     []Problem
	unreportable int
	callback     *State // the first Task that waits for a callback
}

func (p *parser) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{n.Line + p.dLine, n.Column + p.dCol}
}

func (p *parser) add(n *yaml.Node, state, msg string) {
	p.addAt(p.pos(n), state, msg)
}

func (p *parser) addAt(pos Pos, state, msg string) {
	if len(p.problems) >= maxProblems {
		p.unreportable++
		return
	}
	p.problems = append(p.problems, Problem{File: p.file, Pos: pos, State: state, Msg: msg})
}

func (p *parser) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	sort.SliceStable(p.problems, func(i, j int) bool {
		a, b := p.problems[i].Pos, p.problems[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	if p.unreportable > 0 {
		p.problems = append(p.problems, Problem{File: p.file, Msg: fmt.Sprintf("and %d more problems", p.unreportable)})
	}
	return &DefinitionError{Problems: p.problems}
}

var (
	yamlLineRE   = regexp.MustCompile(`line (\d+)`)
	yamlPrefixRE = regexp.MustCompile(`^line \d+: `)
)

// decodeProblem is the problem of text that decodeNode refused.
func (p *parser) decodeProblem(err error) Problem {
	var lone *loneSurrogateError
	if errors.As(err, &lone) {
		return Problem{File: p.file, Pos: Pos{lone.Line + p.dLine, lone.Col + p.dCol}, Msg: lone.msg()}
	}
	return Problem{File: p.file, Pos: p.yamlErrorPos(err), Msg: yamlMessage(err)}
}

func (p *parser) yamlErrorPos(err error) Pos {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Pos{n + p.dLine, 1}
	}
	return Pos{}
}

func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	return "invalid YAML: " + yamlPrefixRE.ReplaceAllString(msg, "")
}
