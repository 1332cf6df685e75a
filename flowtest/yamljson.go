package flowtest

// Reading a test file's YAML values as JSON text, and suggesting the key
// a misspelt one meant.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	sug "github.com/flowtui/flowtui/internal/suggest"
)

// nodeJSON writes a YAML value as JSON text. A number written as JSON writes
// it keeps its text, so that 12345678901234567890123 keeps every digit.
func nodeJSON(n *yaml.Node) ([]byte, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxDepth bounds the nesting nodeJSON follows (aliases included).
const maxDepth = 200

var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deep")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			b.WriteString("null")
			return nil
		}
		return writeJSON(b, n.Content[0], depth+1)
	case yaml.AliasNode:
		return writeJSON(b, n.Alias, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
				return fmt.Errorf("line %d: keys must be strings", k.Line)
			}
			if i > 0 {
				b.WriteByte(',')
			}
			kj, _ := json.Marshal(k.Value)
			b.Write(kj)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, c, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		if jsonNumber.MatchString(n.Value) {
			b.WriteString(n.Value)
			return nil
		}
	case "!!str", "!!timestamp", "!!binary":
		j, _ := json.Marshal(n.Value)
		b.Write(j)
		return nil
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return err
	}
	j, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("line %d: %s is not a JSON value", n.Line, n.Value)
	}
	b.Write(j)
	return nil
}

// suggest names the known key nearest to k, when one is close.
func suggest(k string, known map[string]func(*yaml.Node)) string {
	names := make([]string, 0, len(known))
	for name := range known {
		names = append(names, name)
	}
	slices.Sort(names)
	if best, ok := sug.Nearest(k, names); ok {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return "; known keys: " + strings.Join(names, ", ")
}
