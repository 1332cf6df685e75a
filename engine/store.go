package engine

import (
	"context"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/fnf"
)

// DefinitionFile is the name that CompileFlow gives the definition in its
// errors: a definition sent over the API has no file, and "Definition:3:7"
// points at the parameter, its line and its column.
const DefinitionFile = "Definition"

// Compiled is a flow ready to serve: its API fields and its parsed definition.
// Treat it as read-only once shared: an update makes a new one, so that a run
// keeps the version it began with while the flow is updated or deleted.
type Compiled struct {
	Flow fnf.Flow
	def  *Definition
	err  error // why it cannot run: a flow file that did not load
}

// Err is why the flow cannot run (a flow file that does not load), or nil.
func (c *Compiled) Err() error { return c.err }

// Legacy reports a definition in the older FDL, always a Standard flow.
func (c *Compiled) Legacy() bool { return c.def != nil && c.def.Legacy }

// Run executes the flow with r. It fails without running for a flow that
// did not load.
func (c *Compiled) Run(ctx context.Context, r *Runner, req RunRequest) (*Result, error) {
	if c.err != nil {
		return nil, c.err
	}
	if c.def == nil {
		return nil, fmt.Errorf("flow %q has no definition", c.Flow.Name)
	}
	return r.Run(ctx, c.def, req)
}

// CompileFlow validates a flow given by its API fields, as CreateFlow and
// UpdateFlow do: the definition parses and passes validation, a CloudFlow
// definition's Name (when it has one) equals the flow's name, an Express flow
// keeps to the Express limits, and a legacy FDL definition is Standard. The
// error is a *DefinitionError whose problems are placed at
// Definition:line:column.
func CompileFlow(f fnf.Flow) (*Compiled, error) {
	mode := f.Mode()
	if mode != fnf.ModeExpress && mode != fnf.ModeStandard {
		return nil, fmt.Errorf("ExecutionMode %q: use Express or Standard", f.ExecutionMode)
	}
	src := []byte(f.Definition)
	def, err := Parse(DefinitionFile, src)
	if err != nil {
		return nil, err
	}
	switch {
	case def.Legacy && mode == fnf.ModeExpress:
		return nil, definitionProblem(Pos{1, 1}, "a legacy FDL definition (version/type: flow/steps) runs only as a Standard flow; write an Express flow in the CloudFlow spec (Type: StateMachine)")
	case !def.Legacy && def.Name != "" && def.Name != f.Name:
		return nil, definitionProblem(namePos(src), fmt.Sprintf("the definition is named %q but the flow %q: they must be equal", def.Name, f.Name))
	case !def.Legacy && mode == fnf.ModeExpress:
		if err := def.CheckExpress(DefinitionFile); err != nil {
			return nil, err
		}
	}
	return &Compiled{Flow: f, def: def}, nil
}

func definitionProblem(pos Pos, msg string) error {
	return &DefinitionError{Problems: []Problem{{File: DefinitionFile, Pos: pos, Msg: msg}}}
}

// namePos is where the definition's top-level Name value is written.
func namePos(src []byte) Pos {
	var doc yaml.Node
	if decodeNode(src, &doc) != nil || len(doc.Content) == 0 {
		return Pos{}
	}
	if n := valueOf(doc.Content[0], "Name"); n != nil {
		return Pos{n.Line, n.Column}
	}
	return Pos{}
}

// Compiled returns the flows of the backend (the flows directory, then the
// demo flows no file replaces), sorted by name. A flow file that does not load
// is included, with Err saying why and where, so that it can be listed.
func (l *Local) Compiled() ([]*Compiled, error) {
	entries, err := l.entries()
	if err != nil {
		return nil, err
	}
	out := make([]*Compiled, len(entries))
	for i, e := range entries {
		out[i] = e.compiled()
	}
	return out, nil
}

// compiled is the flow of a file, ready to serve or to say why it cannot run.
func (e entry) compiled() *Compiled {
	c := &Compiled{Flow: e.flow, def: e.def, err: e.err}
	if c.err == nil && c.def == nil {
		c.err = errors.New(e.file + ": no definition")
	}
	if c.err != nil {
		c.Flow.Error = c.err.Error()
	}
	return c
}

// Mocks returns the mocks runs use: the demo flows' own, then the user's
// mock file, whose flows replace the demo flows' of the same name.
func (l *Local) Mocks() *Mocks {
	return l.demoMocks.Merge(l.opts.Mocks)
}
