package result

import (
	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/common"
)

// Name is the pane's name: its key overrides are "result.<action>", and its
// own messages say it.
const Name = "result"

var _ common.Pane = (*Model)(nil)

// KeyBindings names the pane's keys for config overrides.
func (m Model) KeyBindings() map[string]*key.Binding { return m.keys.Bindings() }

// The messages the pane sends itself, for its eyes only.
func (pageReady) Pane() string   { return Name }
func (searchDone) Pane() string  { return Name }
func (jqDone) Pane() string      { return Name }
func (detailReady) Pane() string { return Name }
