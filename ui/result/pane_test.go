package result

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/common"
)

// The messages Result sends itself (a page formatted, a search or a jq
// filter done, a trace step) say they are Result's, so that the root hands
// them to Result alone.
func TestResultsOwnMessagesNameIt(t *testing.T) {
	for _, msg := range []tea.Msg{pageReady{}, searchDone{}, jqDone{}, detailReady{}} {
		if o, ok := msg.(common.Own); !ok || o.Pane() != Name {
			t.Fatalf("%T is not addressed to %s", msg, Name)
		}
	}
}
