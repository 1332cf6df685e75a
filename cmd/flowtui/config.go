package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/safefile"
	"github.com/flowtui/flowtui/ui/keys"
)

// maxConfigBytes bounds config.yaml.
const maxConfigBytes = 1 << 20

// config is the optional $XDG_CONFIG_HOME/flowtui/config.yaml.
type config struct {
	Theme   string              `yaml:"theme"`  // auto, dark or light
	Keymap  map[string][]string `yaml:"keymap"` // action → keys
	History struct {
		MaxRuns  int      `yaml:"max_runs"`
		MaxBytes int64    `yaml:"max_bytes"`
		Redact   []string `yaml:"redact"` // keys whose values are masked in stored inputs and outputs
	} `yaml:"history"`
	path string
	doc  yaml.Node // the parsed file, for the places of problems found later
}

// configPath is $XDG_CONFIG_HOME/flowtui/config.yaml, else under ~/.config.
func configPath() string {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "flowtui", "config.yaml")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "flowtui", "config.yaml")
}

// loadConfig reads the config file; its absence is no error. Unknown keys are,
// with their line, so that a typo does not silently do nothing. Errors are
// *fnf.SetupError and never quote a value of the file.
func loadConfig() (config, error) {
	var c config
	c.path = configPath()
	if c.path == "" {
		return c, nil
	}
	data, err := safefile.Read(c.path, maxConfigBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, c.problem(nil, "", strings.TrimPrefix(err.Error(), c.path+": "))
	}
	data = fnf.TrimBOM(data)
	if err := yaml.Unmarshal(data, &c.doc); err != nil {
		return c, c.problem(nil, "", yamlProblem(err))
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, c.problem(nil, "", yamlProblem(err))
	}
	switch c.Theme {
	case "", "auto", "dark", "light":
	default:
		return c, c.problem(c.node("theme"), "theme", "use auto, dark or light")
	}
	if c.History.MaxRuns < 0 || c.History.MaxBytes < 0 {
		return c, c.problem(c.node("history"), "history", "the caps max_runs and max_bytes must be positive")
	}
	return c, nil
}

// problem is a *fnf.SetupError about the config file, at n when known.
func (c config) problem(n *yaml.Node, field, msg string) error {
	e := &fnf.SetupError{File: c.path, Offset: -1, Field: field, Msg: msg}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	return e
}

// node is the value under a top-level key, nil when absent.
func (c config) node(key string) *yaml.Node {
	if len(c.doc.Content) == 0 {
		return nil
	}
	return mapValue(c.doc.Content[0], key)
}

// mapValue returns the value node of key in a mapping node, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// keymapError places the problems of a keymap override (from keys.Override)
// at their lines in the file: the action for an unknown one, the key for a
// clash.
func (c config) keymapError(err error) error {
	var oe *keys.OverrideError
	if !errors.As(err, &oe) {
		return err
	}
	km := c.node("keymap")
	var errs []error
	for _, p := range oe.Problems {
		var at *yaml.Node
		msg := fmt.Sprintf("key %q is also bound to %s; choose another key or rebind those too", p.Key, strings.Join(p.Clashes, ", "))
		if p.Key == "" {
			msg = "unknown action; known actions: " + strings.Join(oe.Known, ", ")
			at = mapKey(km, p.Action)
		} else if seq := mapValue(km, p.Action); seq != nil {
			for _, k := range seq.Content {
				if k.Value == p.Key {
					at = k
					break
				}
			}
		}
		errs = append(errs, c.problem(at, "keymap."+p.Action, msg))
	}
	return errors.Join(errs...)
}

// mapKey returns the key node of key in a mapping node, or nil.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// yamlValue is the value yaml quotes in its type errors ("!!str `hunter2`").
var (
	yamlValue    = regexp.MustCompile(" `[^`]*`")
	yamlMismatch = regexp.MustCompile(`^line (\d+): cannot unmarshal !!(\w+) into (.+)$`)
)

// yamlProblem is a YAML error without any value of the file: the config may
// hold keys and tokens.
func yamlProblem(err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return strings.TrimPrefix(yamlValue.ReplaceAllString(err.Error(), ""), "yaml: ")
	}
	lines := make([]string, len(te.Errors))
	for i, e := range te.Errors {
		e = yamlValue.ReplaceAllString(e, "")
		if m := yamlMismatch.FindStringSubmatch(e); m != nil {
			e = fmt.Sprintf("line %s: must be %s, not %s", m[1], goKind(m[3]), yamlKind(m[2]))
		}
		lines[i] = e
	}
	return strings.Join(lines, "; ")
}

func yamlKind(tag string) string {
	switch tag {
	case "str":
		return "a string"
	case "int":
		return "an integer"
	case "float":
		return "a number"
	case "bool":
		return "true or false"
	case "seq":
		return "a list"
	case "map":
		return "a mapping"
	case "null":
		return "empty"
	}
	return strconv.Quote(tag)
}

func goKind(t string) string {
	switch {
	case t == "string":
		return "a string"
	case strings.HasPrefix(t, "int"), strings.HasPrefix(t, "uint"):
		return "an integer"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map["), strings.HasPrefix(t, "struct"), strings.HasPrefix(t, "main."):
		return "a mapping"
	}
	return t
}
