package input

import (
	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/common"
)

// Name is the pane's name: its key overrides are "input.<action>", and its
// own messages say it.
const Name = "input"

var _ common.Pane = (*Model)(nil)

// KeyBindings names the pane's keys for config overrides.
func (m Model) KeyBindings() map[string]*key.Binding { return m.keys.Bindings() }

// Clearable is false: the editor binds no esc, which stops a run from here.
func (m Model) Clearable() bool { return false }

// The messages the pane sends itself, for its eyes only.
func (checked) Pane() string     { return Name }
func (formatted) Pane() string   { return Name }
func (noteExpired) Pane() string { return Name }
func (checkTick) Pane() string   { return Name }
