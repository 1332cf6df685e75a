package main

import (
	"testing"

	"github.com/flowtui/flowtui/engine"
	uiapp "github.com/flowtui/flowtui/ui/app"
)

// keymapProblem loads config.yaml and applies its keymap as the TUI does.
func keymapProblem(t *testing.T, yaml string) error {
	t.Helper()
	home := isolate(t)
	writeFile(t, home, ".config/flowtui/config.yaml", yaml)
	cfg, err := loadConfig()
	if err != nil {
		t.Fatalf("loadConfig: %v", err)
	}
	local, err := engine.NewLocal(engine.LocalOptions{Demos: true})
	if err != nil {
		t.Fatal(err)
	}
	_, err = uiapp.New(uiapp.Options{Backend: local, Keymap: cfg.Keymap})
	if err == nil {
		return nil
	}
	return cfg.keymapError(err)
}

func TestAKeymapKeyBoundTwiceIsRefusedWithItsPlaceAndTheOtherActions(t *testing.T) {
	err := keymapProblem(t, "theme: dark\nkeymap:\n  quit: [q, j]\n  flows.filter: [f]\n")
	if err == nil {
		t.Fatal("a key bound to quit and to moving down was accepted")
	}
	wantContains(t, "the error", err.Error(), `config.yaml:3:13: keymap.quit: key "j" is also bound to flows.down, result.down, runs.down`)
}

func TestAnUnknownKeymapActionIsRefusedWithItsPlace(t *testing.T) {
	err := keymapProblem(t, "keymap:\n  run: [f9]\n  flows.fly: [x]\n")
	if err == nil {
		t.Fatal("an unknown action was accepted")
	}
	wantContains(t, "the error", err.Error(), "config.yaml:3:3: keymap.flows.fly: unknown action; known actions:", "flows.filter")
}

func TestAKeymapThatRebindsWithoutClashesIsAccepted(t *testing.T) {
	if err := keymapProblem(t, "keymap:\n  run: [f9, ctrl+r]\n  flows.down: [n]\n  runs.down: [n]\n"); err != nil {
		t.Fatalf("refused: %v", err)
	}
}
