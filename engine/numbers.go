package engine

import (
	"encoding/json"

	"go.yaml.in/yaml/v3"
)

// yamlValue decodes a YAML tree (a constructor, a mocked Return) to JSON
// values with every number as written: json.Number, as the run's data has
// them, so that 9007199254740993 and 1.0 in a definition or a mock keep
// their digits.
func yamlValue(n *yaml.Node) (any, error) {
	jsonShaped(n)
	var v any
	if err := n.Decode(&v); err != nil {
		return nil, err
	}
	return exactNumbers(n, v), nil
}

// exactNumbers walks the tree beside its decoded value and puts back the
// text of each number. A mapping with a merge key (<<) keeps its decoded
// values: its keys no longer follow the tree.
func exactNumbers(n *yaml.Node, v any) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 1 {
			return exactNumbers(n.Content[0], v)
		}
	case yaml.AliasNode:
		return exactNumbers(n.Alias, v)
	case yaml.SequenceNode:
		s, ok := v.([]any)
		if !ok || len(s) != len(n.Content) {
			return v
		}
		for i, c := range n.Content {
			s[i] = exactNumbers(c, s[i])
		}
	case yaml.MappingNode:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag == "!!merge" {
				return v
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if e, ok := m[k]; ok {
				m[k] = exactNumbers(n.Content[i+1], e)
			}
		}
	case yaml.ScalarNode:
		if t := n.ShortTag(); (t == "!!int" || t == "!!float") && isJSONNumber(n.Value) {
			return json.Number(n.Value)
		}
	}
	return v
}

// isJSONNumber reports whether s is written as JSON writes a number (YAML
// also reads 0x1F, +1 and .5, which stay as YAML decoded them).
func isJSONNumber(s string) bool {
	return s != "" && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) && json.Valid([]byte(s))
}
