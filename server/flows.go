package server

import (
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// DefaultMaxFlows is the service's limit of flows per account; it also bounds
// what CreateFlow can make the server hold.
const DefaultMaxFlows = 10000

// flowStore holds the flows in memory, sorted by name so that a page token
// (the name of the next flow) still means something after creates and
// deletes. Entries are immutable: an update swaps the pointer, and a run in
// flight keeps the version it began with.
type flowStore struct {
	max int
	// write serialises CreateFlow, UpdateFlow and DeleteFlow, so that a
	// definition is parsed outside mu and readers never wait for a parse.
	write sync.Mutex
	mu    sync.RWMutex
	flows []*engine.Compiled
}

func newFlowStore(flows []*engine.Compiled, max int) *flowStore {
	if max <= 0 {
		max = DefaultMaxFlows
	}
	sorted := slices.Clone(flows)
	slices.SortStableFunc(sorted, func(a, b *engine.Compiled) int { return strings.Compare(a.Flow.Name, b.Flow.Name) })
	return &flowStore{max: max, flows: sorted}
}

func byName(c *engine.Compiled, name string) int { return strings.Compare(c.Flow.Name, name) }

// get returns the flow of that name, or nil.
func (fs *flowStore) get(name string) *engine.Compiled {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	if i, ok := slices.BinarySearchFunc(fs.flows, name, byName); ok {
		return fs.flows[i]
	}
	return nil
}

// page returns up to limit flows from the first whose name is token or
// after it, and the name of the flow after them ("" on the last page).
func (fs *flowStore) page(token string, limit int) ([]fnf.Flow, string) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	start, _ := slices.BinarySearchFunc(fs.flows, token, byName)
	end := min(start+limit, len(fs.flows))
	out := make([]fnf.Flow, 0, end-start)
	for _, c := range fs.flows[start:end] {
		out = append(out, c.Flow)
	}
	next := ""
	if end < len(fs.flows) {
		next = fs.flows[end].Flow.Name
	}
	return out, next
}

func (fs *flowStore) len() int {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	return len(fs.flows)
}

// create adds the flow build makes, unless the name is taken or the store is
// full; build runs only when neither holds.
func (fs *flowStore) create(name string, build func() (*engine.Compiled, *apiError)) (*engine.Compiled, *apiError) {
	fs.write.Lock()
	defer fs.write.Unlock()
	if fs.get(name) != nil {
		return nil, errorf(http.StatusBadRequest, CodeFlowAlreadyExists,
			"flow %q already exists: update it with UpdateFlow, or delete it first", name)
	}
	if fs.len() >= fs.max {
		return nil, invalid("this server holds %d flows, its limit: delete one before creating %q", fs.max, name)
	}
	c, e := build()
	if e != nil {
		return nil, e
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i, _ := slices.BinarySearchFunc(fs.flows, name, byName)
	fs.flows = slices.Insert(fs.flows, i, c)
	return c, nil
}

// update replaces the flow with what change makes of it.
func (fs *flowStore) update(name string, change func(old *engine.Compiled) (*engine.Compiled, *apiError)) (*engine.Compiled, *apiError) {
	fs.write.Lock()
	defer fs.write.Unlock()
	old := fs.get(name)
	if old == nil {
		return nil, flowNotExists(name)
	}
	c, e := change(old)
	if e != nil {
		return nil, e
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i, _ := slices.BinarySearchFunc(fs.flows, name, byName)
	fs.flows[i] = c
	return c, nil
}

// remove deletes the flow; runs in flight finish on the version they hold.
func (fs *flowStore) remove(name string) *apiError {
	fs.write.Lock()
	defer fs.write.Unlock()
	fs.mu.Lock()
	defer fs.mu.Unlock()
	i, ok := slices.BinarySearchFunc(fs.flows, name, byName)
	if !ok {
		return flowNotExists(name)
	}
	fs.flows = slices.Delete(fs.flows, i, i+1)
	return nil
}

// find is how the front door for runs looks a flow up: nil when there is none.
func (s *Server) find(name string) (*engine.Compiled, error) { return s.flows.get(name), nil }
