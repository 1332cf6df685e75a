package timeline

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Visit is what a row's detail is made of, copied out of the timeline so
// that a command can format it while the timeline grows.
type Visit struct {
	Row    Row
	Label  string
	Events []fnf.Event
	Origin time.Time
	Step   *fnf.Step
}

// Visit copies what row r's detail needs.
func (t *Timeline) Visit(r int) Visit {
	v := Visit{Row: t.Rows[r], Label: t.label(r), Origin: t.Origin}
	if e := t.Rows[r].entered; t.Rows[r].Attempt > 1 && e >= 0 {
		v.Events = append(v.Events, t.events[e]) // a retry's input is its visit's
	}
	for _, i := range t.Rows[r].Events {
		v.Events = append(v.Events, t.events[i])
	}
	if s := t.Rows[r].Step; s >= 0 && s < len(t.steps) {
		step := t.steps[s]
		v.Step = &step
	}
	return v
}

// Section is one part of a visit's detail: a title, and a body that is JSON
// text (to be pretty-printed) or plain text.
type Section struct {
	Title string
	Body  string
	JSON  bool
	Error bool // the body is an error: a code or a cause
	// At is when the event a section of events begins happened, since the
	// execution started; HasAt says it is known.
	At    time.Duration
	HasAt bool
}

// detailKeys are the EventDetail keys the engine writes, in the order a
// person reads them; other keys follow, sorted.
var detailKeys = []string{"Input", "Output", "Resource", "TaskMode", "TaskToken", "Error", "Cause", "Index"}

// Sections is the detail of a visit: for events, each event with its time
// and every key of its detail (what a service adds besides the keys known is
// shown too); for a step, its input, output and error. Payloads are
// returned as they are, to be pretty-printed by the caller.
func (v Visit) Sections() []Section {
	if v.Step != nil {
		return stepSections(*v.Step)
	}
	var out []Section
	for _, ev := range v.Events {
		head := Section{Title: ev.Type + " · event " + itoa(int(ev.EventId))}
		if ts, ok := fnf.ParseTime(ev.Time); ok && !v.Origin.IsZero() {
			head.At, head.HasAt = ts.Sub(v.Origin), true
		}
		out = append(out, head)
		out = append(out, detailSections(ev.EventDetail)...)
	}
	return out
}

func stepSections(s fnf.Step) []Section {
	var out []Section
	if strings.TrimSpace(s.Input) != "" {
		out = append(out, Section{Title: "Input", Body: s.Input, JSON: true})
	}
	if strings.TrimSpace(s.Output) != "" {
		out = append(out, Section{Title: "Output", Body: s.Output, JSON: true})
	}
	if s.Error != "" {
		out = append(out, Section{Title: "Error", Body: s.Error, Error: true})
	}
	return out
}

// detailSections reads an EventDetail: one section per key, the known keys
// first; a detail that is not a JSON object is shown as its text.
func detailSections(detail string) []Section {
	if strings.TrimSpace(detail) == "" {
		return nil
	}
	var d map[string]json.RawMessage
	dec := json.NewDecoder(strings.NewReader(detail))
	if dec.Decode(&d) != nil || dec.More() {
		return []Section{{Title: "EventDetail", Body: detail, JSON: true}}
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		if !slices.Contains(detailKeys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []Section
	for _, k := range append(slices.Clone(detailKeys), keys...) {
		raw, ok := d[k]
		if !ok || string(raw) == "null" {
			continue
		}
		out = append(out, valueSection(k, raw))
	}
	return out
}

// valueSection shows a value: an Input or an Output as JSON (the text it
// holds when it is a string of JSON, as a service may send it), another
// string as its text, anything else as JSON.
func valueSection(key string, raw json.RawMessage) Section {
	isErr := key == "Error" || key == "Cause"
	payload := key == "Input" || key == "Output"
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return Section{Title: key, Body: string(raw), JSON: true, Error: isErr}
	}
	if t := bytes.TrimSpace([]byte(s)); len(t) > 0 && (t[0] == '{' || t[0] == '[') && json.Valid(t) {
		return Section{Title: key, Body: s, JSON: true}
	}
	if payload {
		return Section{Title: key, Body: string(raw), JSON: true}
	}
	return Section{Title: key, Body: s, Error: isErr}
}

// Output is the raw output of a visit, for copying: its step's output, or
// the Output of its last event that has one (StepExited, TaskSucceeded); its
// error when it has no output.
func (v Visit) Output() string {
	if v.Step != nil {
		if v.Step.Output == "" && v.Step.Error != "" {
			return v.Step.Error
		}
		return v.Step.Output
	}
	var cause string
	for k := len(v.Events) - 1; k >= 0; k-- {
		var d map[string]json.RawMessage
		if json.Unmarshal([]byte(v.Events[k].EventDetail), &d) != nil {
			continue
		}
		if raw, ok := d["Output"]; ok {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				return s
			}
			return string(raw)
		}
		if raw, ok := d["Cause"]; ok && cause == "" {
			_ = json.Unmarshal(raw, &cause)
		}
	}
	return cause
}

// Output is the output a row's visit passed on, as its StepExited event
// (else its TaskSucceeded) gives it: JSON text, "" when none says.
func (t *Timeline) Output(r int) string {
	out := ""
	for _, i := range t.Rows[r].Events {
		ev := &t.events[i]
		if ev.Type != fnf.EventStepExited && ev.Type != fnf.EventTaskSucceeded {
			continue
		}
		var d struct{ Output json.RawMessage }
		if json.Unmarshal([]byte(ev.EventDetail), &d) == nil && len(d.Output) > 0 {
			out = string(d.Output)
			if ev.Type == fnf.EventStepExited {
				return out // what the state passed on, after its constructors
			}
		}
	}
	return out
}
