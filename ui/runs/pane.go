package runs

import (
	"charm.land/bubbles/v2/key"

	"github.com/flowtui/flowtui/ui/common"
)

// Name is the pane's name: its key overrides are "runs.<action>", and its
// own messages say it.
const Name = "runs"

var _ common.Pane = (*Model)(nil)

// KeyBindings names the pane's keys for config overrides.
func (m Model) KeyBindings() map[string]*key.Binding { return m.keys.Bindings() }
