package engine

import (
	"fmt"
	"math"

	"github.com/flowtui/flowtui/engine/expression"
)

// ItemBatcher groups a Map's items: each iteration's input is a batch,
// {"Items": [...]} with "BatchInput" beside them when it is given.
type ItemBatcher struct {
	MaxItems   int                  // MaxItemsPerBatch; 0: no bound
	MaxBytes   int                  // MaxInputBytesPerBatch; 0: no bound
	BatchInput *expression.Template // evaluated once, on the Map's input
}

// Tolerance is how many failed items a Map lets pass: a count, a
// percentage of its items, or both (the Map fails when it passes either).
// With neither, the first failure fails the Map.
type Tolerance struct {
	Count                int
	Percent              float64
	HasCount, HasPercent bool
}

// exceeded reports whether failed items out of total pass the tolerance.
func (t Tolerance) exceeded(failed, total int) bool {
	if !t.HasCount && !t.HasPercent {
		return failed > 0
	}
	return (t.HasCount && failed > t.Count) ||
		(t.HasPercent && float64(failed)*100 > t.Percent*float64(total))
}

// Bounds of the Map's fields. The service allows up to 10,000 items in a
// distributed Map by default and 1,000,000 by quota; MaxItems is bounded by
// the latter.
const (
	maxMapItems   = 1_000_000
	maxBatchBytes = 64 * 1024 // an iteration's input is a state input: 64 KiB
)

// Processor modes.
const (
	MapInline      = "Inline"
	MapDistributed = "Distributed"
)

// Execution modes of a distributed Map's child executions.
const (
	ChildExpress  = "Express"
	ChildStandard = "Standard"
)

// Concurrency of a distributed Map: the service's default, and the bound
// of MaxConcuccency (the default number of iterations it allows).
const (
	defaultDistributedConcurrency = 100
	maxDistributedConcurrency     = 10_000
)

// maxConcurrency bounds MaxConcuccency for st's mode.
func maxConcurrency(st *State) int {
	if st.Distributed {
		return maxDistributedConcurrency
	}
	return maxMapConcurrency
}

// mapFields parses the Map's fields besides ItemsPath, Processor and
// MaxConcuccency.
func (p *parser) mapFields(m *mapping, st *State) {
	if m.has("MaxItems") {
		st.MaxItems, _ = m.integer("MaxItems", maxMapItems)
	}
	st.ItemConstructor = m.template("ItemConstructor")
	if m.has("ToleratedFailureCount") {
		st.Tolerated.Count, st.Tolerated.HasCount = m.integer("ToleratedFailureCount", math.MaxInt32)
	}
	if m.has("ToleratedFailurePercentage") {
		st.Tolerated.Percent, st.Tolerated.HasPercent = m.number("ToleratedFailurePercentage", 100)
	}
	if v := m.value("ItemBatcher"); v != nil {
		if bm, ok := p.mapping(v, st.Name, "ItemBatcher"); ok {
			bm.state = st.Name
			bm.onlyKeys(batcherKeys, "an ItemBatcher")
			st.Batcher = p.batcher(bm, st.Name)
		}
	}
	if v := m.value("ProcessorConfig"); v != nil {
		if cm, ok := p.mapping(v, st.Name, "ProcessorConfig"); ok {
			cm.state = st.Name
			cm.onlyKeys(processorConfigKeys, "a Map's ProcessorConfig")
			p.processorConfig(cm, st)
		}
	}
}

func (p *parser) batcher(m *mapping, state string) *ItemBatcher {
	b := &ItemBatcher{BatchInput: m.template("BatchInput")}
	if m.has("MaxItemsPerBatch") {
		b.MaxItems, _ = m.integer("MaxItemsPerBatch", maxMapItems)
	}
	if m.has("MaxInputBytesPerBatch") {
		b.MaxBytes, _ = m.integer("MaxInputBytesPerBatch", maxBatchBytes)
	}
	if b.MaxItems == 0 && b.MaxBytes == 0 {
		p.add(m.node, state, "an ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (at least 1)")
	}
	return b
}

// processorConfig reads the Map's mode: Inline (the default) or
// Distributed, whose iterations are child executions in ExecutionMode
// Express. An ExecutionMode alone means the distributed mode, as the page
// once described it; Standard child executions are refused by name.
func (p *parser) processorConfig(m *mapping, st *State) {
	mode, exec := m.str("Mode"), m.str("ExecutionMode")
	switch mode {
	case MapInline:
		if m.has("ExecutionMode") {
			p.add(m.value("ExecutionMode"), st.Name, "ExecutionMode is the mode of a distributed Map's child executions; remove it, or set Mode: Distributed")
		}
		return
	case "", MapDistributed:
		if mode == "" && !m.has("ExecutionMode") {
			return
		}
	default:
		p.add(m.value("Mode"), st.Name, fmt.Sprintf("Mode %q is not a Map processor mode; use %s (the default) or %s", mode, MapInline, MapDistributed))
		return
	}
	st.Distributed = true
	switch exec {
	case ChildExpress:
	case ChildStandard:
		p.add(m.value("ExecutionMode"), st.Name, "ExecutionMode Standard runs the child executions as Standard executions, which local runs do not support yet; use Express to try the Map locally")
	case "":
		p.add(m.node, st.Name, "a distributed Map needs ExecutionMode, Express or Standard (the documentation gives no default)")
	default:
		p.add(m.value("ExecutionMode"), st.Name, fmt.Sprintf("ExecutionMode %q is not an execution mode; use %s or %s", exec, ChildExpress, ChildStandard))
	}
}

// batches groups items as b says, in order: a batch takes items while it
// holds at most MaxItemsPerBatch and its JSON (as the Processor receives it,
// BatchInput included) stays within MaxInputBytesPerBatch; a batch holds at
// least one item. sizes[i] is the number of items in batch i.
func (b *ItemBatcher) batches(items []any, batchInput any) (batches []any, sizes []int, err error) {
	// {"Items":[]} and BatchInput, then each item and its comma.
	base, err := encodedSize(batchOf([]any{}, batchInput))
	if err != nil {
		return nil, nil, err
	}
	var cur []any
	bytes := base
	flush := func() {
		if len(cur) > 0 {
			batches = append(batches, batchOf(cur, batchInput))
			sizes = append(sizes, len(cur))
			cur, bytes = nil, base
		}
	}
	for _, item := range items {
		n, err := encodedSize(item)
		if err != nil {
			return nil, nil, err
		}
		if len(cur) > 0 {
			n++ // the comma
		}
		if len(cur) > 0 && ((b.MaxItems > 0 && len(cur)+1 > b.MaxItems) || (b.MaxBytes > 0 && bytes+n > b.MaxBytes)) {
			flush()
			n-- // first of its batch: no comma
		}
		cur = append(cur, item)
		bytes += n
	}
	flush()
	return batches, sizes, nil
}

func batchOf(items []any, batchInput any) map[string]any {
	batch := map[string]any{"Items": items}
	if batchInput != nil {
		batch["BatchInput"] = batchInput
	}
	return batch
}
