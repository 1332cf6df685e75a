package engine

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/fnf"
)

// entry is one flow of the local backend: what ListFlows shows, the parsed
// definition, and what is wrong with it if it did not parse.
type entry struct {
	flow fnf.Flow
	def  *Definition
	err  error
	file string
	// defFile names the definition's text in problems: the file, or
	// "FILE (Definition)" when its positions are within a quoted string.
	defFile string
}

// loadFlow reads a flow file: either a bare definition, named by its Name or
// else the file name, run as Express; or a document shaped like the DescribeFlow
// response (Name, Description, ExecutionMode, Definition as a string, and
// flowtui's own SampleInput), so that a flow saved from the cloud runs offline.
func loadFlow(file string, data []byte) entry {
	data = fnf.TrimBOM(data)
	base := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	e := entry{file: file, defFile: file, flow: fnf.Flow{Name: base, Type: "FDL", ExecutionMode: fnf.ModeExpress}}
	var doc yaml.Node
	if _, deep := tooDeep(data); deep {
		_, perr := Parse(file, data) // says where, without scanning it as YAML
		e.fail(perr)
		return e
	}
	if err := decodeNode(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		// Let the definition parser say what is wrong, with its position.
		_, perr := Parse(file, data)
		if perr == nil {
			perr = fmt.Errorf("%s: not a flow definition", file)
		}
		e.fail(perr)
		return e
	}
	root := doc.Content[0]
	defNode := valueOf(root, "Definition")
	if defNode == nil {
		e.def, e.err = Parse(file, data)
		if e.def != nil && e.def.Name != "" {
			e.flow.Name = e.def.Name
		}
		if e.def != nil {
			e.flow.Description = e.def.Description
			if e.def.Legacy {
				// The older FDL has only the Standard mode.
				e.flow.ExecutionMode = fnf.ModeStandard
			}
		}
		e.flow.Definition = string(data)
		e.checkMode()
		return e
	}

	// A flow document.
	if err := checkDocumentKeys(file, root); err != nil {
		e.fail(err)
		return e
	}
	str := func(key string) string {
		if n := valueOf(root, key); n != nil && n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			return n.Value
		}
		return "" // absent, or null (JSON null, YAML's empty value)
	}
	if name := str("Name"); name != "" {
		e.flow.Name = name
	}
	e.flow.Description = str("Description")
	if n := valueOf(root, "ExecutionMode"); n != nil {
		// As DescribeFlow answers it: empty is Standard, the mode of the
		// older flows. Left out, the document is Express, as a bare
		// definition is.
		e.flow.ExecutionMode = str("ExecutionMode")
		if e.flow.ExecutionMode == "" {
			e.flow.ExecutionMode = fnf.ModeStandard
		}
	}
	e.flow.SampleInput = str("SampleInput")
	e.flow.RoleArn = str("RoleArn")
	if defNode.Kind != yaml.ScalarNode {
		e.fail(fmt.Errorf("%s:%d:%d: Definition must be a string holding the definition (YAML or JSON)", file, defNode.Line, defNode.Column))
		return e
	}
	e.flow.Definition = defNode.Value
	if m := e.flow.ExecutionMode; m != fnf.ModeExpress && m != fnf.ModeStandard {
		e.fail(fmt.Errorf("%s: ExecutionMode %q: use Express or Standard", file, m))
		return e
	}
	inner, dLine, dCol := file+" (Definition)", 0, 0
	if defNode.Style == yaml.LiteralStyle {
		// A literal block: its first line is the line after the key,
		// indented, and its lines are the file's. A folded one joins
		// lines, so its positions are within its text, as a string's.
		inner, dLine, dCol = file, defNode.Line, blockIndent(data, defNode.Line)
	}
	e.defFile = inner
	e.def, e.err = parseAt(inner, []byte(defNode.Value), dLine, dCol)
	if e.def != nil && e.def.Legacy {
		// The older FDL has only the Standard mode, which the service
		// answers as an empty ExecutionMode.
		if str("ExecutionMode") == fnf.ModeExpress {
			e.fail(fmt.Errorf("%s: ExecutionMode Express: the definition is in the legacy flow language (version: v1, type: flow), which runs only as Standard; leave ExecutionMode out or make it Standard", file))
			return e
		}
		e.flow.ExecutionMode = fnf.ModeStandard
	}
	if e.def != nil && !e.def.Legacy && e.def.Name != "" && e.def.Name != e.flow.Name {
		e.fail(fmt.Errorf("%s: the definition is named %q but the flow %q: they must be equal", file, e.def.Name, e.flow.Name))
		return e
	}
	if e.flow.SampleInput != "" {
		if err := fnf.CheckInput([]byte(e.flow.SampleInput)); err != nil {
			e.fail(fmt.Errorf("%s: SampleInput: %w", file, err))
			return e
		}
	}
	e.checkMode()
	return e
}

// checkDocumentKeys refuses a key a flow document does not have (a typo of
// ExecutionMode would otherwise run the flow in the default mode).
func checkDocumentKeys(file string, root *yaml.Node) error {
	p := &parser{file: file}
	if m, ok := p.mapping(root, "", "a flow document"); ok {
		m.onlyKeys(flowDocumentKeys, "a flow document")
	}
	return p.err()
}

func (e *entry) fail(err error) {
	e.def, e.err = nil, err
}

func (e *entry) checkMode() {
	if e.def != nil && !e.def.Legacy && e.flow.ExecutionMode == fnf.ModeExpress {
		if err := e.def.CheckExpress(e.defFile); err != nil {
			e.fail(err)
		}
	}
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// blockIndent is the indentation of the first non-blank line after line key.
func blockIndent(data []byte, key int) int {
	lines := bytes.Split(data, []byte("\n"))
	for i := key; i < len(lines); i++ {
		trimmed := bytes.TrimLeft(lines[i], " ")
		if len(bytes.TrimSpace(trimmed)) > 0 {
			return len(lines[i]) - len(trimmed)
		}
	}
	return 0
}
