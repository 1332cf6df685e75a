package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/flowtui/flowtui/engine/expression"
	"github.com/flowtui/flowtui/fnf"
)

// runLegacy runs a legacy FDL flow: its input mappings, its steps, its
// output mappings (by default the flow's $local). Its timeoutSeconds is
// the run's limit (Runner.Run).
func (x *execution) runLegacy(ctx context.Context, f *legacyFlow, input any) (any, *flowError) {
	if f.in != nil {
		input = x.lmap(f.in, input, map[string]any{}, "")
	}
	local, ferr := x.lsteps(ctx, f.steps, input, "")
	if ferr != nil {
		return nil, ferr
	}
	if f.out == nil {
		return local, nil
	}
	return x.lmap(f.out, input, local, ""), nil
}

// lsteps runs a serial list of steps: each step's input comes from the
// parent's input and local, each step's output merges into the parent's
// local, which lsteps returns.
func (x *execution) lsteps(ctx context.Context, steps []*lstep, parentIn any, path string) (map[string]any, *flowError) {
	local := map[string]any{}
	for i := 0; i < len(steps); {
		if ctx.Err() != nil {
			return nil, ctxError(ctx)
		}
		st := steps[i]
		out, goTo, stop, ferr := x.lstep(ctx, st, parentIn, local, path)
		if ferr != nil {
			return nil, ferr
		}
		maps.Copy(local, out)
		switch {
		case stop:
			return local, nil
		case goTo != "":
			i = slices.IndexFunc(steps, func(s *lstep) bool { return s.name == goTo })
		default:
			i++
		}
	}
	return local, nil
}

// lstep runs one step. It returns the step's output, the sibling to go to
// ("" for the next), and whether the list ends here (end, succeed).
func (x *execution) lstep(ctx context.Context, st *lstep, parentIn any, parentLocal map[string]any, path string) (out map[string]any, goTo string, stop bool, ferr *flowError) {
	start := x.clock.Now()
	name := path + st.name
	rec := func(in, out any, attempt int, ferr *flowError) {
		x.record(step{state: name, typ: st.typ, input: in, output: out, err: ferr, attempt: attempt, start: start, dur: x.since(start)})
	}
	if ferr := x.spendAs(st.name, eventsPerState); ferr != nil {
		rec(nil, nil, 0, ferr)
		return nil, "", false, ferr
	}
	in := x.lstepInput(st, parentIn, parentLocal)
	if x.history() {
		entered := x.emit(fnf.EventStepEntered, st.name, scheduledBy(ctx), eventDetail{Input: in})
		defer func() { x.stepEnd(st.name, entered, out, ferr) }()
	}
	if ferr := legacySize(st, in, nil, nil); ferr != nil {
		rec(in, nil, 0, ferr)
		return nil, "", false, ferr
	}
	local, goTo, attempt, ferr := x.lwork(ctx, st, in, name)
	if ferr != nil {
		out, goTo, cerr := x.lcatch(st, in, ferr)
		rec(in, out, attempt, ferr)
		if cerr != nil {
			return nil, "", false, cerr
		}
		return out, goTo, false, nil
	}
	switch {
	case st.out != nil:
		out = x.lmap(st.out, in, local, st.name)
	case st.typ == legacyParallel || st.typ == legacyForeach:
		out = map[string]any{} // their documented default output is empty
	default:
		var ok bool
		if out, ok = local.(map[string]any); !ok && local != nil {
			ferr = &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: its result is %s, not a JSON object; add outputMappings", st.name, kindOf(local))}
		}
	}
	if ferr == nil {
		ferr = legacySize(st, in, out, local)
	}
	rec(in, out, attempt, ferr)
	if ferr != nil {
		return nil, "", false, ferr
	}
	return out, goTo, st.end || st.typ == legacySucceed, nil
}

// lstepInput is a step's input: its inputMappings over the parent's input
// and local, or by default the parent's input merged with its local (local
// keys win).
func (x *execution) lstepInput(st *lstep, parentIn any, parentLocal map[string]any) map[string]any {
	if st.in != nil {
		return x.lmap(st.in, parentIn, parentLocal, st.name)
	}
	in := map[string]any{}
	if m, ok := parentIn.(map[string]any); ok {
		maps.Copy(in, m)
	}
	maps.Copy(in, parentLocal)
	return in
}

// lwork does what the step's type does; it returns the step's local.
func (x *execution) lwork(ctx context.Context, st *lstep, in map[string]any, name string) (any, string, int, *flowError) {
	switch st.typ {
	case legacyTask:
		v, attempt, ferr := x.ltask(ctx, st, in, name)
		return v, "", attempt, ferr
	case legacyChoice:
		return x.lchoice(ctx, st, in, name)
	case legacyParallel:
		v, ferr := x.lfanOut(ctx, st, len(st.branches), len(st.branches), func(ctx context.Context, i int) (any, *flowError) {
			return x.lsteps(ctx, st.branches[i], in, fmt.Sprintf("%s/Branch%d/", name, i))
		})
		return v, "", 0, ferr
	case legacyForeach:
		v, ferr := x.lforeach(ctx, st, in, name)
		return v, "", 0, ferr
	case legacyWait:
		return map[string]any{}, "", 0, x.lwait(ctx, st, in)
	case legacyFail:
		return nil, "", 0, &flowError{Code: st.code, Detail: st.cause}
	}
	return map[string]any{}, "", 0, nil // pass, succeed: no data of their own
}

// ltask runs a task with its retry rules; its result is the mocked answer
// (by step name). It returns the last attempt's number.
func (x *execution) ltask(ctx context.Context, st *lstep, in map[string]any, name string) (any, int, *flowError) {
	counts := make([]int, len(st.retry))
	for attempt := 0; ; attempt++ {
		if ferr := x.spendAs(st.name, eventsPerTask); ferr != nil {
			return nil, attempt, ferr
		}
		var out any
		var ferr *flowError
		scheduled := x.emit(fnf.EventTaskScheduled, st.name, 0, eventDetail{Resource: st.resource, Input: in})
		x.emit(fnf.EventTaskStarted, st.name, scheduled, eventDetail{})
		switch a := x.mockedAs(st.name); {
		case a == nil:
			ferr = x.notMocked(st.name, st.resource)
		case a.throw != nil:
			ferr = &flowError{Code: a.throw.Code, Detail: a.throw.Detail}
		default:
			out = deepCopy(a.ret)
		}
		x.taskEnd(st.name, scheduled, out, ferr)
		if ferr == nil || ferr.fatal {
			return out, attempt, ferr
		}
		i := retrier(st.retry, ferr.Code)
		if i < 0 || counts[i] >= st.retry[i].MaxAttempts {
			return nil, attempt, ferr
		}
		x.record(step{state: name, typ: st.typ, input: in, err: ferr, attempt: attempt, start: x.clock.Now()})
		counts[i]++
		if err := x.clock.Sleep(ctx, st.retry[i].delay(counts[i])); err != nil {
			return nil, attempt, ctxError(ctx)
		}
	}
}

// lcatch hands a task's error to its first matching catch rule: the output
// is its errorMappings, whose $local holds error and cause.
func (x *execution) lcatch(st *lstep, in map[string]any, ferr *flowError) (map[string]any, string, *flowError) {
	if ferr.fatal {
		return nil, "", ferr
	}
	for _, c := range st.catch {
		if !matches(c.errors, ferr.Code) {
			continue
		}
		out := map[string]any{}
		if st.errs != nil {
			out = x.lmap(st.errs, in, map[string]any{"error": ferr.Code, "cause": ferr.Detail}, st.name)
		}
		return out, c.goTo, nil
	}
	return nil, "", ferr
}

// lchoice runs the steps of the first choice whose condition holds (or of
// the default); with none, the step ends and the list goes on.
func (x *execution) lchoice(ctx context.Context, st *lstep, in map[string]any, name string) (any, string, int, *flowError) {
	env := expression.Env{Input: in}
	for i, c := range st.choices {
		if c.cond != nil {
			ok, err := c.cond.EvalBool(env)
			if err != nil {
				return nil, "", 0, &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: choice %d condition: %v", st.name, i, err)}
			}
			if !ok {
				continue
			}
		}
		local, ferr := x.lsteps(ctx, c.steps, in, name+"/")
		return local, c.goTo, 0, ferr
	}
	return map[string]any{}, "", 0, nil
}

// lforeach runs the steps for each item of the collection, at most
// maxConcurrency at once; each iteration's input is the step's input with
// the item (and its index) added.
func (x *execution) lforeach(ctx context.Context, st *lstep, in map[string]any, name string) (any, *flowError) {
	v := st.collection.eval(in, nil, nil)
	items, ok := v.([]any)
	if !ok {
		return nil, &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: collection %q gave %s, not an array", st.name, st.collection.src, kindOf(v))}
	}
	return x.lfanOut(ctx, st, len(items), st.concurrency, func(ctx context.Context, i int) (any, *flowError) {
		iter := maps.Clone(in)
		iter[st.item] = items[i]
		if st.index != "" {
			iter[st.index] = json.Number(strconv.Itoa(i))
		}
		return x.lsteps(ctx, st.steps, iter, fmt.Sprintf("%s[%d]/", name, i))
	})
}

// lfanOut runs n branches or iterations, at most limit at once; the first
// failure stops the others. The results are in order.
func (x *execution) lfanOut(ctx context.Context, st *lstep, n, limit int, run func(context.Context, int) (any, *flowError)) ([]any, *flowError) {
	kind := branch
	if st.typ == legacyForeach {
		kind = iteration
	}
	results, errs := x.fan(ctx, n, max(limit, 1),
		func(int) *flowError { return x.spendAs(st.name, eventsPerBranch) },
		func(ctx context.Context, i int) (any, *flowError) {
			return x.fanOut(ctx, kind, st.name, i, func(ctx context.Context) (any, *flowError) { return run(ctx, i) })
		},
		func(int, *flowError) bool { return true })
	if ferr := firstError(errs); ferr != nil {
		return nil, ferr
	}
	if ctx.Err() != nil {
		return nil, ctxError(ctx)
	}
	return results, nil
}

// lwait waits duration seconds or until timestamp; a past time does not wait.
func (x *execution) lwait(ctx context.Context, st *lstep, in map[string]any) *flowError {
	var d time.Duration
	switch {
	case st.durationPath != nil:
		v := st.durationPath.eval(in, nil, nil)
		f, ok := expression.Float(v)
		if !ok || f < 0 || f > maxLegacyWaitSeconds {
			return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: duration %q gave %s; want 0 to %d seconds", st.name, st.durationPath.src, kindOf(v), maxLegacyWaitSeconds)}
		}
		d = time.Duration(f * float64(time.Second))
	case st.timePath != nil:
		v := st.timePath.eval(in, nil, nil)
		s, _ := v.(string)
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: timestamp %q gave %s, not an RFC 3339 time", st.name, st.timePath.src, kindOf(v))}
		}
		d = t.Sub(x.clock.Now())
	case !st.timestamp.IsZero():
		d = st.timestamp.Sub(x.clock.Now())
	default:
		d = time.Duration(st.duration) * time.Second
	}
	if x.clock.Sleep(ctx, d) != nil {
		return ctxError(ctx)
	}
	return nil
}

// legacySize enforces the legacy limit: a step's input, output and local
// together at most 32 KiB.
func legacySize(st *lstep, in, out, local any) *flowError {
	total, last, lastN := 0, any(nil), 0
	for _, v := range []any{in, out, local} {
		n := 0
		switch m, isMap := v.(map[string]any); {
		case v == nil:
		case isMap && len(m) == 0:
			n = len("{}")
		case sameValue(v, last):
			n = lastN // the output is the local: measured once, counted twice
		default:
			var err error
			if n, err = encodedSize(v); err != nil {
				return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("step %q: its data is not JSON: %v", st.name, err)}
			}
		}
		total, last, lastN = total+n, v, n
	}
	if total > MaxLegacyStepBytes {
		return &flowError{Code: CodeDataLimit, Detail: fmt.Sprintf("step %q: its input, output and local are %d bytes together; the limit is %d (32 KiB)", st.name, total, MaxLegacyStepBytes)}
	}
	return nil
}
