package engine

import (
	"context"
	"fmt"
	"sync"

	"github.com/flowtui/flowtui/internal/clock"
)

// parallel runs every branch at once on the same input; the output holds each
// branch's result under Branch<i>. The first failure stops the others.
func (x *execution) parallel(ctx context.Context, st *State, in any, name string) (any, *flowError) {
	results, errs := x.fan(ctx, len(st.Branches), 0,
		func(int) *flowError { return x.spendIteration(st) },
		func(ctx context.Context, i int) (any, *flowError) {
			return x.fanOut(ctx, branch, st.Name, i, func(ctx context.Context) (any, *flowError) {
				return x.scope(ctx, st.Branches[i], in, fmt.Sprintf("%s/Branch%d/", name, i))
			})
		},
		func(int, *flowError) bool { return true })
	if ferr := firstError(errs); ferr != nil {
		return nil, ferr
	}
	out := make(map[string]any, len(results))
	for i, r := range results {
		out[fmt.Sprintf("Branch%d", i)] = r
	}
	return out, nil
}

// fan runs n branches or iterations, at most limit at once (0: no limit),
// each as run(ctx, i), and returns their results and errors in order. spend
// counts one's events just before it starts; its refusal starts no more. A
// failure that stop says must stop the others cancels them. Goroutines
// start and are waited for through the execution's clock, which a virtual
// clock needs to know when everyone waits.
func (x *execution) fan(ctx context.Context, n, limit int, spend func(i int) *flowError,
	run func(ctx context.Context, i int) (any, *flowError), stop func(i int, e *flowError) bool) ([]any, []*flowError) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]any, n)
	errs := make([]*flowError, n)
	g := x.clock.Group(limit)
	for i := range n {
		g.WaitSlot()
		if ctx.Err() != nil {
			break
		}
		if errs[i] = spend(i); errs[i] != nil {
			cancel()
			break
		}
		g.Go(func() {
			results[i], errs[i] = run(ctx, i)
			if errs[i] != nil && stop(i, errs[i]) {
				cancel()
			}
		})
	}
	g.Wait()
	return results, errs
}

// defaultMapConcurrency is the inline Map's documented default.
const defaultMapConcurrency = 40

// mapItems runs the Processor for each iteration's input (mapInputs), at
// most MaxConcuccency at a time; the output holds the results in order under
// Items. A failed iteration fails the Map unless the tolerated failures
// allow it; its place in Items then holds its error.
func (x *execution) mapItems(ctx context.Context, st *State, in any, current map[string]any, name string) (any, *flowError) {
	inputs, weights, total, ferr := x.mapInputs(st, in, current)
	if ferr != nil {
		return nil, ferr
	}
	limit := st.MaxConcurrency
	switch {
	case limit > 0:
	case st.Distributed:
		limit = defaultDistributedConcurrency
	default:
		limit = defaultMapConcurrency
	}
	f := failures{tolerance: st.Tolerated, total: total}
	// A distributed iteration is a child execution: it counts, and records,
	// no event of this one (spendIteration).
	kind := iteration
	if st.Distributed {
		kind = childExecution
	}
	results, errs := x.fan(ctx, len(inputs), limit,
		func(int) *flowError {
			e := x.spendIteration(st)
			if e != nil {
				f.stop(e)
			}
			return e
		},
		func(ctx context.Context, i int) (any, *flowError) {
			return x.fanOut(ctx, kind, st.Name, i, func(ctx context.Context) (any, *flowError) {
				return x.iteration(ctx, st, inputs[i], name, i)
			})
		},
		func(i int, e *flowError) bool { return f.fail(e, weights[i]) })
	if ferr := f.cause(errs); ferr != nil {
		return nil, ferr
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(ctx)
	}
	for i, e := range errs {
		if e != nil { // tolerated
			results[i] = map[string]any{"Code": e.Code, "Detail": e.Detail}
		}
	}
	return map[string]any{"Items": results}, nil
}

// spendIteration counts the events of an inline iteration; a distributed
// Map's iterations are child executions, each counting its own.
func (x *execution) spendIteration(st *State) *flowError {
	if st.Distributed {
		return nil
	}
	return x.spend(st, eventsPerBranch)
}

// iteration runs the Processor on the input of iteration i of the Map st:
// inline, in this execution; distributed, as a child execution.
func (x *execution) iteration(ctx context.Context, st *State, in any, name string, i int) (any, *flowError) {
	path := fmt.Sprintf("%s[%d]/", name, i)
	if !st.Distributed {
		return x.scope(ctx, st.Processor, in, path)
	}
	c := &execution{
		r: x.r, req: x.req, cases: x.cases, global: map[string]any{}, clock: x.clock,
		exec: map[string]any{"Name": fmt.Sprintf("%s/%s/%d", x.exec["Name"], st.Name, i), "Input": in, "RoleArn": ""},
	}
	c.events.Store(1) // ExecutionStarted
	// c.std stays nil whatever the parent's mode: the child is an Express
	// execution (the Express Wait range holds for a Seconds.$ too) with no
	// history of its own, and its Processor has no callback task.
	// An Express child execution has the Express time limit of its own.
	cctx, cancel := clock.WithTimeoutCause(x.clock, ctx, ExpressLimit, &timeLimitError{ExpressLimit})
	defer cancel()
	out, ferr := c.scope(cctx, st.Processor, in, path)
	x.mu.Lock()
	x.trace = append(x.trace, c.trace...)
	x.mu.Unlock()
	childOver := ctx.Err() == nil && cctx.Err() != nil
	if ferr != nil && (ferr.Code == CodeEventLimit || childOver) {
		// The child execution failed; the Map's tolerance decides the rest.
		ferr = &flowError{Code: ferr.Code, Detail: fmt.Sprintf("iteration %d: its child execution: %s", i, ferr.Detail)}
	}
	return out, ferr
}

// mapInputs is the input of each iteration of a Map and the number of items
// in it: the items of ItemsPath, the first MaxItems of them, each shaped by
// ItemConstructor, then grouped by ItemBatcher. total is the number of items.
func (x *execution) mapInputs(st *State, in any, current map[string]any) (inputs []any, weights []int, total int, ferr *flowError) {
	env := x.env(in, nil, current)
	v, err := st.ItemsPath.Eval(env)
	if err != nil {
		return nil, nil, 0, exprError(st, "ItemsPath", err)
	}
	items, ok := v.([]any)
	if !ok {
		return nil, nil, 0, &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: ItemsPath %q gave %s, not an array", st.Name, st.ItemsPath.Source(), kindOf(v))}
	}
	if st.MaxItems > 0 && len(items) > st.MaxItems {
		items = items[:st.MaxItems]
	}
	if st.ItemConstructor != nil {
		shaped := make([]any, len(items))
		for i, item := range items {
			env.Item = item
			if shaped[i], err = st.ItemConstructor.Eval(env); err != nil {
				return nil, nil, 0, exprError(st, fmt.Sprintf("ItemConstructor (item %d)", i), err)
			}
		}
		env.Item, items = nil, shaped
	}
	if st.Batcher == nil {
		if ferr := checkInputs(st, items, st.ItemConstructor != nil); ferr != nil {
			return nil, nil, 0, ferr
		}
		weights = make([]int, len(items))
		for i := range weights {
			weights[i] = 1
		}
		return items, weights, len(items), nil
	}
	var batchInput any
	if st.Batcher.BatchInput != nil {
		if batchInput, err = st.Batcher.BatchInput.Eval(env); err != nil {
			return nil, nil, 0, exprError(st, "ItemBatcher.BatchInput", err)
		}
	}
	inputs, weights, err = st.Batcher.batches(items, batchInput)
	if err != nil {
		return nil, nil, 0, &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: an item is not JSON: %v", st.Name, err)}
	}
	if ferr := checkInputs(st, inputs, true); ferr != nil {
		return nil, nil, 0, ferr
	}
	return inputs, weights, len(items), nil
}

// checkInputs holds iterations' inputs the Map made (shaped items, batches)
// to the 64 KiB of a state input; items as ItemsPath gave them are parts of
// the Map's input, measured already.
func checkInputs(st *State, inputs []any, made bool) *flowError {
	if !made {
		return nil
	}
	for i, in := range inputs {
		if ferr := checkSize(st, fmt.Sprintf("the input of iteration %d", i), in, nil); ferr != nil {
			return ferr
		}
	}
	return nil
}

// failures counts a Map's failed items against its tolerance and keeps the
// failure that passed it.
type failures struct {
	tolerance Tolerance
	total     int

	mu     sync.Mutex
	failed int
	over   *flowError
}

// fail counts a failed iteration of n items and reports whether the Map
// must stop: the failure passed the tolerance, or cannot be tolerated (a
// limit of the run, a stop, a set-up problem).
func (f *failures) fail(e *flowError, n int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.over != nil {
		return true
	}
	if e.fatal || e.Code == CodeCancelled {
		f.over = e
		return true
	}
	f.failed += n
	if f.tolerance.exceeded(f.failed, f.total) {
		f.over = e
		return true
	}
	return false
}

func (f *failures) stop(e *flowError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.over == nil {
		f.over = e
	}
}

// cause is the error the Map fails with, if any: the failure that passed
// the tolerance, unless a sibling's cancellation got there first, in which
// case the first real error tells the story.
func (f *failures) cause(errs []*flowError) *flowError {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.over == nil {
		return nil
	}
	if f.over.Code == CodeCancelled {
		return firstError(errs)
	}
	return f.over
}

// firstError picks the error that caused the others: a branch stopped because
// a sibling failed reports a cancellation, which is not the story.
func firstError(errs []*flowError) *flowError {
	var cancelled *flowError
	for _, e := range errs {
		switch {
		case e == nil:
		case e.Code == CodeCancelled:
			if cancelled == nil {
				cancelled = e
			}
		default:
			return e
		}
	}
	return cancelled
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	}
	return "a number"
}
