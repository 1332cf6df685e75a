package flowtest

import (
	"bytes"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// Change is one exact-output expectation rewritten by Update.
type Change struct {
	File, Flow, Case string
	Diffs            int // paths that changed
}

func (c Change) String() string {
	return fmt.Sprintf("%s: %s/%s: output updated (%d paths changed)", c.File, c.Flow, c.Case, c.Diffs)
}

// Update rewrites the exact-output expectations that failed with the
// outputs the runs gave, and writes back the files it changed. The rest of
// each file (comments, key order, other cases) is kept: the file is
// rewritten from its YAML node tree. A case whose run gave no output (it
// failed) is left alone: there is nothing to snapshot.
func Update(files []*File, rs []*Result) ([]Change, error) {
	var changes []Change
	dirty := map[*File]bool{}
	byCase := map[*Case]*File{}
	for _, f := range files {
		for _, c := range f.Cases {
			byCase[c] = f
		}
	}
	for _, r := range rs {
		if r.c == nil || r.c.output == nil || r.Status != Failed || r.Outcome.Output == "" {
			continue
		}
		for _, fl := range r.Failures {
			if fl.Expect != "output" {
				continue
			}
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(r.Outcome.Output), &doc); err != nil || len(doc.Content) == 0 {
				return changes, fmt.Errorf("%s: %s/%s: the output cannot be written as YAML: %v", r.File, r.Flow, r.Case, err)
			}
			n := doc.Content[0]
			if len(r.Outcome.Output) > maxFlowOutput {
				blockStyle(n)
			}
			// Keep the expectation where it was written.
			n.Line, n.Column = r.c.output.Line, r.c.output.Column
			*r.c.output = *n
			changes = append(changes, Change{File: r.File, Flow: r.Flow, Case: r.Case, Diffs: countDiffs(fl)})
			dirty[byCase[r.c]] = true
		}
	}
	for _, f := range files {
		if !dirty[f] {
			continue
		}
		if err := f.write(); err != nil {
			return changes, err
		}
	}
	return changes, nil
}

func countDiffs(f Failure) int {
	n := 0
	for _, l := range f.Diff {
		if l.Op != '=' {
			n++
		}
	}
	return n
}

// write writes the file's node tree back, keeping its mode (0600 for a new
// file, which --update never makes).
func (f *File) write() error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&f.doc); err != nil {
		return fmt.Errorf("%s: writing the updated tests: %w", f.Path, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("%s: writing the updated tests: %w", f.Path, err)
	}
	if err := os.WriteFile(f.Path, b.Bytes(), 0o600); err != nil {
		return fmt.Errorf("%s: writing the updated tests: %w", f.Path, err)
	}
	return nil
}

// maxFlowOutput is the longest output --update writes on one line, as
// JSON-style YAML; a longer one is written as indented YAML.
const maxFlowOutput = 80

// blockStyle writes n as indented YAML, strings unquoted where YAML reads
// them back as the same strings (the encoder quotes "007", "true", "").
func blockStyle(n *yaml.Node) {
	n.Style = 0
	for _, c := range n.Content {
		blockStyle(c)
	}
}
