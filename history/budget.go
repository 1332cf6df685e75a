package history

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/flowtui/flowtui/fnf"
)

// DefaultMaxRunBytes bounds the text one run stores: a looping flow's trace
// would otherwise fill the history, and the caps would empty it of every
// other run. A store keeps less when its byte cap is small: a quarter of it.
const DefaultMaxRunBytes = 4 << 20

// maxErrorBytes bounds a stored error message: a gateway may quote the whole
// request in it.
const maxErrorBytes = 16 << 10

// TruncatedStep is the Type of the step that ends a trace cut to the per-run
// budget; its Error says how many steps were left out.
const TruncatedStep = "Truncated"

// runBudget is the bytes one run may store in a history capped at maxBytes.
func runBudget(maxRun int, maxBytes int64) int {
	b := int64(DefaultMaxRunBytes)
	if maxRun > 0 {
		b = min(b, int64(maxRun))
	}
	return int(min(b, maxBytes/4))
}

// fit cuts r's bodies to budget bytes, saying so in what is kept: the error
// message ends with a note, an input or output too large to keep becomes an
// object saying so, and a trace keeps its first steps and a TruncatedStep,
// the events their first events and a TruncatedStep event.
func fit(r Run, budget int) Run {
	r.ErrorMessage = clipText(r.ErrorMessage, min(maxErrorBytes, budget))
	left := budget
	for _, body := range []struct {
		what string
		text *string
	}{{"input", &r.Input}, {"output", &r.Output}} {
		if len(*body.text) > left {
			*body.text = notStored(body.what, len(*body.text), budget)
		}
		left -= len(*body.text)
	}
	if len(r.Trace) > left {
		r.Trace = fitTrace(r.Trace, max(left, 0), budget)
	}
	left -= len(r.Trace)
	if len(r.Events) > left {
		r.Events = fitEvents(r.Events, max(left, 0), budget)
	}
	return r
}

// clipText keeps the first n bytes of s (whole UTF-8 characters) and says
// how many were left out.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	note := fmt.Sprintf(" … (%d more bytes not stored)", len(s)-n)
	cut := max(n-len(note), 0)
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + note
}

// notStored stands for a body too large for the per-run budget.
func notStored(what string, size, budget int) string {
	b, _ := json.Marshal(map[string]string{"flowtui.truncated": fmt.Sprintf(
		"the %s was %d bytes, more than one run may store in the history (%d bytes); it was not recorded", what, size, budget)})
	return string(b)
}

// encodeTrace is the stored form of a trace: a JSON array of steps, at most
// budget bytes; past it, the first steps and a TruncatedStep.
func encodeTrace(steps []fnf.Step, budget int) string {
	return encodeSteps(steps, 0, budget, budget)
}

// markerRoom is kept free for the TruncatedStep while steps may still be cut.
const markerRoom = 256

// encodeSteps encodes steps within limit bytes, after dropped steps already
// left out; budget is the run's, for the note.
func encodeSteps(steps []fnf.Step, dropped, limit, budget int) string {
	return encodeCut(steps, dropped, limit, func(rest, total int) fnf.Step {
		return fnf.Step{State: "(trace truncated)", Type: TruncatedStep, Error: fmt.Sprintf(
			"%d of %d steps not stored: the trace passed what one run may store in the history (%d bytes)", rest, total, budget)}
	})
}

// encodeCut encodes items as a JSON array within limit bytes, after dropped
// items already left out: past it, the first items and the marker saying
// how many of how many were not stored. Traces and event histories are cut
// by this one rule.
func encodeCut[T any](items []T, dropped, limit int, marker func(rest, total int) T) string {
	var b strings.Builder
	b.WriteByte('[')
	kept := 0
	for i, s := range items {
		enc, err := json.Marshal(s)
		if err != nil {
			break
		}
		room := limit - markerRoom
		if dropped == 0 && i == len(items)-1 {
			room = limit // the last item needs no marker after it
		}
		if b.Len()+len(enc)+2 > room {
			break
		}
		if kept > 0 {
			b.WriteByte(',')
		}
		b.Write(enc)
		kept++
	}
	if rest := len(items) - kept + dropped; rest > 0 {
		if kept > 0 {
			b.WriteByte(',')
		}
		enc, _ := json.Marshal(marker(rest, kept+rest))
		b.Write(enc)
	}
	b.WriteByte(']')
	return b.String()
}

// fitTrace cuts a stored trace to limit bytes; budget is the run's, for the note.
func fitTrace(trace string, limit, budget int) string {
	var steps []fnf.Step
	if json.Unmarshal([]byte(trace), &steps) != nil {
		steps = nil
	}
	dropped := 0
	if k := len(steps); k > 0 && steps[k-1].Type == TruncatedStep {
		var total int
		fmt.Sscanf(steps[k-1].Error, "%d of %d", &dropped, &total)
		steps = steps[:k-1]
	}
	return encodeSteps(steps, dropped, limit, budget)
}

// Steps decodes the run's stored trace: nil for a run without one (a cloud
// run, or a list row, which carries no bodies); an error when the stored
// text is not a JSON array of steps, for the reader to see rather than an
// empty trace.
func (r Run) Steps() ([]fnf.Step, error) {
	if r.Trace == "" {
		return nil, nil
	}
	var steps []fnf.Step
	if err := json.Unmarshal([]byte(r.Trace), &steps); err != nil {
		return nil, fmt.Errorf("run %d: the stored trace (%d bytes) is not a list of steps: %w", r.ID, len(r.Trace), err)
	}
	return steps, nil
}

// TraceNote says how much of a stored trace was kept: "" when all of it.
func TraceNote(trace string) string {
	i := strings.LastIndex(trace, `"Type":"`+TruncatedStep+`"`)
	if i < 0 {
		return ""
	}
	var steps []fnf.Step
	if json.Unmarshal([]byte(trace), &steps) != nil || len(steps) == 0 || steps[len(steps)-1].Type != TruncatedStep {
		return ""
	}
	return steps[len(steps)-1].Error
}
