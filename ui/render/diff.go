package render

import (
	"github.com/flowtui/flowtui/internal/jsondiff"
	"github.com/flowtui/flowtui/ui/msgs"
)

// DiffOutputs is jsondiff.Outputs (JSON by path, else by line) as the
// Result pane's message; the caller sets its Title.
func DiffOutputs(a, b []byte) (msgs.DiffReady, error) {
	d, err := jsondiff.Outputs(a, b)
	return msgs.DiffReady{Lines: d.Lines, Text: d.Text}, err
}
