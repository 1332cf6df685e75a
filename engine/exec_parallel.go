package engine

import (
	"context"
	"fmt"
	"sync"
)

// parallel runs every branch at once on the same input; the output holds each
// branch's result under Branch<i>. The first failure stops the others.
func (x *execution) parallel(ctx context.Context, st *State, in any, name string) (any, *flowError) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]any, len(st.Branches))
	errs := make([]*flowError, len(st.Branches))
	var wg sync.WaitGroup
	for i, b := range st.Branches {
		if errs[i] = x.spend(st, eventsPerBranch); errs[i] != nil {
			cancel()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = x.scope(ctx, b, in, fmt.Sprintf("%s/Branch%d/", name, i))
			if errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	if ferr := firstError(errs); ferr != nil {
		return nil, ferr
	}
	out := make(map[string]any, len(results))
	for i, r := range results {
		out[fmt.Sprintf("Branch%d", i)] = r
	}
	return out, nil
}

// defaultMapConcurrency is the inline Map's documented default.
const defaultMapConcurrency = 40

// mapItems runs the Processor for each item of ItemsPath, at most
// MaxConcuccency at a time; the output holds the results in item order under
// Items.
func (x *execution) mapItems(ctx context.Context, st *State, in any, current map[string]any, name string) (any, *flowError) {
	v, err := st.ItemsPath.Eval(x.env(in, nil, current))
	if err != nil {
		return nil, exprError(st, "ItemsPath", err)
	}
	items, ok := v.([]any)
	if !ok {
		return nil, &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: ItemsPath %q gave %s, not an array", st.Name, st.ItemsPath.Source(), kindOf(v))}
	}
	limit := st.MaxConcurrency
	if limit <= 0 {
		limit = defaultMapConcurrency
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]any, len(items))
	errs := make([]*flowError, len(items))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, item := range items {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		if errs[i] = x.spend(st, eventsPerBranch); errs[i] != nil {
			<-sem
			cancel()
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i], errs[i] = x.scope(ctx, st.Processor, item, fmt.Sprintf("%s[%d]/", name, i))
			if errs[i] != nil {
				cancel()
			}
		}()
	}
	wg.Wait()
	if ferr := firstError(errs); ferr != nil {
		return nil, ferr
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(ctx)
	}
	return map[string]any{"Items": results}, nil
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
