package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

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
// with their line, so that a typo does not silently do nothing.
func loadConfig() (config, error) {
	var c config
	c.path = configPath()
	data, err := os.ReadFile(c.path)
	if errors.Is(err, fs.ErrNotExist) || c.path == "" {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return c, fmt.Errorf("config %s: %v", c.path, err)
	}
	switch c.Theme {
	case "", "auto", "dark", "light":
	default:
		return c, fmt.Errorf("config %s: theme %q: use auto, dark or light", c.path, c.Theme)
	}
	if c.History.MaxRuns < 0 || c.History.MaxBytes < 0 {
		return c, fmt.Errorf("config %s: history caps must be positive", c.path)
	}
	return c, nil
}
