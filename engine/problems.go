package engine

import (
	"fmt"
	"strings"
)

// Problem is one thing wrong with a definition, and where.
type Problem struct {
	File  string
	Pos   Pos
	State string // the state it is about, if any
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Pos.Line, p.Pos.Col)
	}
	b.WriteString(": ")
	if p.State != "" {
		fmt.Fprintf(&b, "state %q: ", p.State)
	}
	b.WriteString(p.Msg)
	return b.String()
}

// DefinitionError lists every problem found in a definition, in file order.
type DefinitionError struct {
	Problems []Problem
}

func (e *DefinitionError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// maxProblems bounds the report: past a point more lines help nobody.
const maxProblems = 20
