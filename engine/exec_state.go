package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// state runs one state: constructors, the state's work with Retry and Catch,
// and the trace. It returns the output and the next state ("" ends the scope).
func (x *execution) state(ctx context.Context, st *State, input any, path string) (out any, next string, ferr *flowError) {
	start := x.clock.Now()
	name := path + st.Name
	k := stateKindOf(st.Type)
	if ferr := x.spend(st, eventsPerState); ferr != nil {
		x.record(step{state: name, typ: st.Type, input: input, err: ferr, start: start})
		return nil, "", ferr
	}
	if x.history() {
		entered := x.emit(fnf.EventStepEntered, st.Name, scheduledBy(ctx), eventDetail{Input: input})
		defer func() { x.stepEnd(st.Name, entered, out, ferr) }()
	}
	// $Context.Current; a state of a plain type (Pass, Succeed, Fail) with no
	// constructor has no expression to show it to.
	var current map[string]any
	if !k.plain || st.InputConstructor != nil || st.OutputConstructor != nil || st.GlobalConstructor != nil {
		current = map[string]any{"Name": st.Name, "Input": input}
	}
	stateIn := input
	if st.InputConstructor != nil {
		v, err := st.InputConstructor.Eval(x.env(input, nil, current))
		if err != nil {
			ferr := exprError(st, "InputConstructor", err)
			x.record(step{state: name, typ: st.Type, input: input, err: ferr, start: start, dur: x.since(start)})
			return nil, "", ferr
		}
		stateIn = v
		current["Input"] = v
	}
	if ferr := checkSize(st, "input", stateIn, input); ferr != nil {
		x.record(step{state: name, typ: st.Type, input: stateIn, err: ferr, start: start, dur: x.since(start)})
		return nil, "", ferr
	}

	result, next, ferr := x.work(ctx, k, st, stateIn, current, name)
	if ferr != nil {
		if !k.retries {
			x.record(step{state: name, typ: st.Type, input: stateIn, err: ferr, start: start, dur: x.since(start)})
		}
		return x.catch(st, stateIn, current, ferr)
	}

	out = result
	if st.OutputConstructor != nil {
		current["Output"] = result
		v, err := st.OutputConstructor.Eval(x.env(stateIn, result, current))
		if err != nil {
			ferr := exprError(st, "OutputConstructor", err)
			x.record(step{state: name, typ: st.Type, input: stateIn, err: ferr, start: start, dur: x.since(start)})
			return nil, "", ferr
		}
		out = v
	}
	if ferr := checkSize(st, "output", out, stateIn); ferr != nil {
		x.record(step{state: name, typ: st.Type, input: stateIn, err: ferr, start: start, dur: x.since(start)})
		return nil, "", ferr
	}
	if st.GlobalConstructor != nil {
		// $Output here is the state's raw result, not what OutputConstructor
		// made of it (the service's global-io page says so).
		current["Output"] = result
		v, err := st.GlobalConstructor.Eval(x.env(stateIn, result, current))
		if err != nil {
			ferr := exprError(st, "GlobalConstructor", err)
			x.record(step{state: name, typ: st.Type, input: stateIn, output: out, err: ferr, start: start, dur: x.since(start)})
			return nil, "", ferr
		}
		x.mergeGlobal(v)
	}
	if !k.retries {
		x.record(step{state: name, typ: st.Type, input: stateIn, output: out, start: start, dur: x.since(start)})
	}
	switch k.goes {
	case endsScope:
		return out, "", nil
	case toNext:
		next = st.Next
	}
	return out, next, nil
}

// Events of the execution history, as GetExecutionHistory lists them: a state
// is entered and exited; a Task attempt is scheduled, started and ends; a
// Parallel branch and a Map iteration are entered and exited.
const (
	eventsPerState  = 2
	eventsPerTask   = 3
	eventsPerBranch = 2
)

// work does what the state's type does, with Retry for the types that have it.
func (x *execution) work(ctx context.Context, k *kindRow, st *State, in any, current map[string]any, name string) (any, string, *flowError) {
	if !k.retries {
		return k.kind.run(x, ctx, st, in, current, name)
	}
	out, ferr := x.withRetry(ctx, k.kind, st, in, current, name)
	return out, "", ferr
}

// withRetry runs a state whose type takes Retry, retrying as its first
// matching rule says; every attempt is a step of the trace.
func (x *execution) withRetry(ctx context.Context, kind stateKind, st *State, in any, current map[string]any, name string) (any, *flowError) {
	counts := make([]int, len(st.Retry))
	for attempt := 0; ; attempt++ {
		current["RetryCount"] = attempt
		start := x.clock.Now()
		out, _, ferr := kind.run(x, ctx, st, in, current, name)
		x.record(step{state: name, typ: st.Type, input: in, output: out, err: ferr, attempt: attempt, start: start, dur: x.since(start)})
		if ferr == nil || ferr.fatal {
			return out, ferr
		}
		i := retrier(st.Retry, ferr.Code)
		if i < 0 || counts[i] >= st.Retry[i].MaxAttempts {
			return nil, ferr
		}
		counts[i]++
		if err := x.clock.Sleep(ctx, st.Retry[i].delay(counts[i])); err != nil {
			return nil, ctxError(ctx)
		}
	}
}

func retrier(rules []Retrier, code string) int {
	for i, r := range rules {
		if matches(r.Errors, code) {
			return i
		}
	}
	return -1
}

// delay is the wait before retry n (1-based).
func (r Retrier) delay(n int) time.Duration {
	d := float64(r.Interval)
	if r.BackoffRate > 0 {
		d *= math.Pow(r.BackoffRate, float64(n-1))
	}
	if r.MaxBackoff > 0 && d > float64(r.MaxBackoff) {
		d = float64(r.MaxBackoff)
	}
	if d > float64(maxRetrySeconds*time.Second) {
		d = float64(maxRetrySeconds * time.Second)
	}
	return time.Duration(d)
}

// catch hands a flow error to the first matching Catch rule.
func (x *execution) catch(st *State, in any, current map[string]any, ferr *flowError) (any, string, *flowError) {
	if ferr.fatal {
		return nil, "", ferr
	}
	for _, c := range st.Catch {
		if !matches(c.Errors, ferr.Code) {
			continue
		}
		current["Error"] = map[string]any{"Code": ferr.Code, "Detail": ferr.Detail}
		var out any = map[string]any{}
		if c.OutputConstructor != nil {
			v, err := c.OutputConstructor.Eval(x.env(in, nil, current))
			if err != nil {
				return nil, "", exprError(st, "Catch OutputConstructor", err)
			}
			out = v
		}
		return out, c.Next, nil
	}
	return nil, "", ferr
}

func (x *execution) mergeGlobal(v any) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	// Copy on write: running expressions may hold the previous map.
	g := make(map[string]any, len(x.global)+len(m))
	for k, val := range x.global {
		g[k] = val
	}
	for k, val := range m {
		g[k] = val
	}
	x.global = g
}

func exprError(st *State, where string, err error) *flowError {
	return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: %s: %v", st.Name, where, err)}
}

// checkSize enforces the 64 KiB limit on state data. A value that is the very
// one already checked (a Pass forwarding its input) is not measured again.
func checkSize(st *State, what string, v, checked any) *flowError {
	if sameValue(v, checked) {
		return nil
	}
	n, err := encodedSize(v)
	if err != nil {
		return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: %s is not JSON: %v", st.Name, what, err)}
	}
	if n > MaxStateBytes {
		return &flowError{Code: CodeDataLimit, Detail: fmt.Sprintf("state %q: %s is %d bytes; the limit is %d (64 KiB)", st.Name, what, n, MaxStateBytes)}
	}
	return nil
}

func encodedSize(v any) (int, error) {
	b, err := json.Marshal(v)
	return len(b), err
}

// sameValue reports whether a and b are the same map or slice (not merely equal).
func sameValue(a, b any) bool {
	ra, rb := reflect.ValueOf(a), reflect.ValueOf(b)
	if ra.Kind() != rb.Kind() || (ra.Kind() != reflect.Map && ra.Kind() != reflect.Slice) {
		return false
	}
	return ra.UnsafePointer() == rb.UnsafePointer() && (ra.Kind() != reflect.Slice || ra.Len() == rb.Len())
}

// jsonCache encodes trace values once each: a Pass chain shares one map.
type jsonCache map[uintptr]string

func (c jsonCache) text(v any) string {
	if v == nil {
		return ""
	}
	s, err := c.encode(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return s
}

// encode is the JSON text of v, from the cache when v is a map seen before.
func (c jsonCache) encode(v any) (string, error) {
	var key uintptr
	if m, ok := v.(map[string]any); ok {
		key = uintptr(reflect.ValueOf(m).UnsafePointer())
		if s, ok := c[key]; ok {
			return s, nil
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	if key != 0 {
		c[key] = string(b)
	}
	return string(b), nil
}
