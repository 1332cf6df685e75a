// Package keys holds flowtui's global key map: the keys that work in every
// pane. Each pane keeps its own map beside its model; both feed the help bar
// and both can be remapped by action name from the config file.
package keys

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
)

// Global are the keys the root model handles before any pane.
type Global struct {
	Run       key.Binding
	Stop      key.Binding // esc: stop waiting for a run, close an overlay
	NextPane  key.Binding
	PrevPane  key.Binding
	Help      key.Binding // ? and f1; f1 also while a pane takes typed text
	Messages  key.Binding // the message log: every status message in full
	Palette   key.Binding
	Quit      key.Binding // q, outside the editor
	ForceQuit key.Binding // ctrl+c, everywhere
	Editor    key.Binding // edit the input in $EDITOR
	Zoom      key.Binding // maximise the focused pane, and restore the layout
	// StopExecution stops the Standard execution followed, after a
	// confirmation; esc only stops following it.
	StopExecution key.Binding
	// TaskSucceeded and TaskFailed answer the callback task the followed
	// execution waits on: with the editor's text as its output, or with an
	// error code and cause asked for.
	TaskSucceeded key.Binding
	TaskFailed    key.Binding
}

// DefaultGlobal is the default global key map (README "Keys").
func DefaultGlobal() Global {
	return Global{
		Run:       key.NewBinding(key.WithKeys("ctrl+r", "f5"), key.WithHelp("ctrl+r", "run")),
		Stop:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "stop waiting / close")),
		NextPane:  key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next pane")),
		PrevPane:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "previous pane")),
		Help:      key.NewBinding(key.WithKeys("?", "f1"), key.WithHelp("?/f1", "help")),
		Messages:  key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", "log")),
		Palette:   key.NewBinding(key.WithKeys("ctrl+p"), key.WithHelp("ctrl+p", "commands")),
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Editor:    key.NewBinding(key.WithKeys("ctrl+e"), key.WithHelp("ctrl+e", "edit in $EDITOR")),
		// + as lazygit's; f2 also while a pane takes typed text, where +
		// is a plus.
		Zoom: key.NewBinding(key.WithKeys("+", "f2"), key.WithHelp("+/f2", "zoom pane")),

		StopExecution: key.NewBinding(key.WithKeys("ctrl+x"), key.WithHelp("ctrl+x", "stop the execution")),
		TaskSucceeded: key.NewBinding(key.WithKeys("ctrl+o"), key.WithHelp("ctrl+o", "callback task succeeded (editor's text)")),
		TaskFailed:    key.NewBinding(key.WithKeys("ctrl+t"), key.WithHelp("ctrl+t", "callback task failed…")),
	}
}

// Bindings lists the global keys by action name, for overrides and help.
func (g *Global) Bindings() map[string]*key.Binding {
	return map[string]*key.Binding{
		"run": &g.Run, "stop": &g.Stop, "next_pane": &g.NextPane, "prev_pane": &g.PrevPane,
		"help": &g.Help, "messages": &g.Messages, "palette": &g.Palette, "quit": &g.Quit, "force_quit": &g.ForceQuit,
		"editor": &g.Editor, "zoom": &g.Zoom, "stop_execution": &g.StopExecution,
		"task_succeeded": &g.TaskSucceeded, "task_failed": &g.TaskFailed,
	}
}

// Typed reports whether a key name is one a text field takes as text (a
// single character such as "?" or "q"): such a global key does not act while
// a pane is taking typed text.
func Typed(name string) bool {
	return name == "space" || len([]rune(name)) == 1
}

// Usable is b as a hint: its help names the first of its keys that acts now,
// which is one that is not typed text while a pane takes text (f1 rather than
// ?). When none acts, the binding comes back disabled.
func Usable(b key.Binding, typing bool) key.Binding {
	for _, k := range b.Keys() {
		if !typing || !Typed(k) {
			b.SetHelp(k, b.Help().Desc)
			return b
		}
	}
	b.SetEnabled(false)
	return b
}

// Override rebinds actions to other keys: action name → keys. The first key
// becomes the one shown in help. Action names are "run" for a global key and
// "pane.action" for a pane's. Unknown action names, and keys that an override
// binds to two actions a key press could reach at once (of the same pane, or
// one of them global), are an *OverrideError; clashes the default keys already
// have are not the config's doing and pass.
func Override(bindings map[string]*key.Binding, overrides map[string][]string) error {
	before := clashes(bindings)
	e := &OverrideError{}
	for action, ks := range overrides {
		b, ok := bindings[action]
		if !ok {
			e.Problems = append(e.Problems, OverrideProblem{Action: action})
			continue
		}
		if len(ks) == 0 {
			b.SetEnabled(false)
			continue
		}
		desc := b.Help().Desc
		b.SetKeys(ks...)
		b.SetHelp(ks[0], desc)
	}
	for action := range overrides {
		b, ok := bindings[action]
		if !ok || !b.Enabled() {
			continue
		}
		for _, k := range b.Keys() {
			var with []string
			for other, ob := range bindings {
				if other != action && ob.Enabled() && reach(action, other) && slices.Contains(ob.Keys(), k) && !before[clash{k, action, other}] {
					with = append(with, other)
				}
			}
			if len(with) > 0 {
				sort.Strings(with)
				e.Problems = append(e.Problems, OverrideProblem{Action: action, Key: k, Clashes: with})
			}
		}
	}
	if len(e.Problems) == 0 {
		return nil
	}
	for k := range bindings {
		e.Known = append(e.Known, k)
	}
	sort.Strings(e.Known)
	sort.Slice(e.Problems, func(i, j int) bool {
		a, b := e.Problems[i], e.Problems[j]
		return a.Action < b.Action || a.Action == b.Action && a.Key < b.Key
	})
	return e
}

// OverrideError lists what is wrong with a keymap.
type OverrideError struct {
	Problems []OverrideProblem
	Known    []string // the action names, for an unknown one
}

// OverrideProblem is an unknown action (Key empty) or a key of Action that
// Clashes names other actions of.
type OverrideProblem struct {
	Action, Key string
	Clashes     []string
}

func (p OverrideProblem) String() string {
	if p.Key == "" {
		return fmt.Sprintf("unknown action %q", p.Action)
	}
	return fmt.Sprintf("%s: key %q is also bound to %s", p.Action, p.Key, strings.Join(p.Clashes, ", "))
}

func (e *OverrideError) Error() string {
	lines := make([]string, len(e.Problems))
	unknown := false
	for i, p := range e.Problems {
		lines[i] = "keymap: " + p.String()
		unknown = unknown || p.Key == ""
	}
	if unknown {
		lines = append(lines, "known actions: "+strings.Join(e.Known, ", "))
	}
	return strings.Join(lines, "\n")
}

type clash struct{ key, a, b string }

// clashes lists the pairs of actions that share a key a press could reach.
func clashes(bindings map[string]*key.Binding) map[clash]bool {
	out := map[clash]bool{}
	for a, ab := range bindings {
		for b, bb := range bindings {
			if a == b || !reach(a, b) {
				continue
			}
			for _, k := range ab.Keys() {
				if slices.Contains(bb.Keys(), k) {
					out[clash{k, a, b}] = true
				}
			}
		}
	}
	return out
}

// reach reports whether one key press may be meant for either action: both of
// one pane, or either global (global keys are matched before any pane's).
func reach(a, b string) bool {
	pa, _, scopedA := strings.Cut(a, ".")
	pb, _, scopedB := strings.Cut(b, ".")
	return !scopedA || !scopedB || pa == pb
}

// List is the movement keys of a list pane (Flows, Runs).
type List struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
}

// DefaultList returns the movement keys; home and end describe where the
// first and last rows lead ("first"/"last", "newest"/"oldest").
func DefaultList(home, end string) List {
	return List{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
		Home:     key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("home/g", home)),
		End:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("end/G", end)),
	}
}

// AddTo puts the movement keys into a pane's Bindings map by action name.
func (l *List) AddTo(m map[string]*key.Binding) map[string]*key.Binding {
	m["up"], m["down"], m["page_up"], m["page_down"], m["home"], m["end"] = &l.Up, &l.Down, &l.PageUp, &l.PageDown, &l.Home, &l.End
	return m
}
