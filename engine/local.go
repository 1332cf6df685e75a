package engine

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/safefile"
)

//go:embed demo
var demoFS embed.FS

// MaxFlowFileBytes bounds a flow file: a flow travels in one request of at
// most 1 MiB (CreateFlow, DescribeFlow).
const MaxFlowFileBytes = 1 << 20

// LocalOptions configure the local backend.
type LocalOptions struct {
	FlowsDir     string       // *.yaml, *.yml and *.json files directly in it; "" for none
	FlowsDirMust bool         // the user named the directory: its absence is an error
	Demos        bool         // include the bundled demo flows
	Mocks        *Mocks       // user mocks; the demo flows bring their own
	HTTP         *http.Client // for HTTP:Request tasks
	// Limit is an Express run's time limit, at most (and by default)
	// ExpressLimit: flowtui run --timeout.
	Limit time.Duration
	// StandardLimit is a Standard execution's time limit; 0: fnf.StandardLimit.
	StandardLimit time.Duration
	// FastWait runs every execution on a virtual clock (Runner.FastWait):
	// Waits take no real time; the times reported are the flow's.
	FastWait bool
}

// Local is the Backend over the embedded engine. Its Standard side
// (fnf.Standard) runs on an Executions of its own.
type Local struct {
	opts      LocalOptions
	demos     []entry
	demoMocks *Mocks
	std       *Executions
}

// NewLocal returns the local backend.
func NewLocal(opts LocalOptions) (*Local, error) {
	l := &Local{opts: opts}
	if opts.Demos {
		var err error
		if l.demos, l.demoMocks, err = loadDemos(); err != nil {
			return nil, err
		}
	}
	l.std = NewExecutions(ExecutionsOptions{Find: l.findCompiled, Limit: l.opts.StandardLimit, Runner: l.Runner()})
	return l, nil
}

// Runner is what runs the backend's executions: its mocks, its HTTP client,
// its limit (Limit, never past the Express limit: a longer wait for the
// answer does not lengthen the flow's own limit) and its clock.
func (l *Local) Runner() *Runner {
	limit := l.opts.Limit
	if limit > ExpressLimit {
		limit = ExpressLimit
	}
	return &Runner{Mocks: l.Mocks(), HTTP: l.opts.HTTP, Limit: limit, FastWait: l.opts.FastWait}
}

func loadDemos() ([]entry, *Mocks, error) {
	names, err := fs.Glob(demoFS, "demo/*.yaml")
	if err != nil {
		return nil, nil, err
	}
	var demos []entry
	var mocks *Mocks
	for _, name := range names {
		data, err := demoFS.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		if filepath.Base(name) == "mocks.yaml" {
			if mocks, err = ParseMocks(name, data); err != nil {
				return nil, nil, err
			}
			continue
		}
		e := loadFlow(name, data)
		if e.err != nil {
			return nil, nil, fmt.Errorf("demo flow: %w", e.err)
		}
		demos = append(demos, e)
	}
	return demos, mocks, nil
}

// Info describes the backend.
func (l *Local) Info() fnf.Info {
	where := "demo flows"
	if l.opts.FlowsDir != "" {
		where = l.opts.FlowsDir
		if l.opts.Demos {
			where += " + demo flows"
		}
	}
	return fnf.Info{Kind: fnf.KindLocal, Endpoint: where, Region: "local", Profile: "local"}
}

// entries reads the flows directory afresh (edits show at once) and adds the
// demo flows that no file of the directory replaces.
func (l *Local) entries() ([]entry, error) {
	var out []entry
	byName := map[string]int{}
	if dir := l.opts.FlowsDir; dir != "" {
		files, err := os.ReadDir(dir)
		if err != nil && (l.opts.FlowsDirMust || !errors.Is(err, fs.ErrNotExist)) {
			return nil, fmt.Errorf("flows directory: %w", err)
		}
		for _, f := range files {
			ext := strings.ToLower(filepath.Ext(f.Name()))
			if f.IsDir() || (ext != ".yaml" && ext != ".yml" && ext != ".json") || strings.HasSuffix(f.Name(), TestFileSuffix) {
				continue
			}
			path := filepath.Join(dir, f.Name())
			data, err := safefile.ReadIn(dir, f.Name(), MaxFlowFileBytes)
			e := entry{file: path, err: err, flow: fnf.Flow{Name: strings.TrimSuffix(f.Name(), filepath.Ext(f.Name()))}}
			if err == nil {
				e = loadFlow(path, data)
			}
			if i, dup := byName[e.flow.Name]; dup {
				e.fail(fmt.Errorf("%s: flow %q is already defined in %s", path, e.flow.Name, out[i].file))
				e.flow.Name += " (" + f.Name() + ")"
			}
			byName[e.flow.Name] = len(out)
			out = append(out, e)
		}
	}
	for _, d := range l.demos {
		if _, replaced := byName[d.flow.Name]; !replaced {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].flow.Name < out[j].flow.Name })
	return out, nil
}

// ListFlows lists every flow, with the problem of each that does not load.
func (l *Local) ListFlows(context.Context) ([]fnf.Flow, error) {
	entries, err := l.entries()
	if err != nil {
		return nil, err
	}
	flows := make([]fnf.Flow, len(entries))
	for i, e := range entries {
		flows[i] = e.flow
		if e.err != nil {
			flows[i].Error = e.err.Error()
		}
	}
	return flows, nil
}

func (l *Local) find(name string) (entry, bool, error) {
	entries, err := l.entries()
	if err != nil {
		return entry{}, false, err
	}
	for _, e := range entries {
		if e.flow.Name == name {
			return e, true, nil
		}
	}
	return entry{}, false, nil
}

// findCompiled is Starter.Find over the backend's flows.
func (l *Local) findCompiled(name string) (*Compiled, error) {
	e, ok, err := l.find(name)
	if !ok || err != nil {
		return nil, err
	}
	return e.compiled(), nil
}

// DescribeFlow returns one flow; one that does not load carries its problem.
func (l *Local) DescribeFlow(_ context.Context, name string) (fnf.Flow, error) {
	e, ok, err := l.find(name)
	switch {
	case err != nil:
		return fnf.Flow{}, err
	case !ok:
		return fnf.Flow{}, local(FlowNotExists(name), "DescribeFlow", name)
	}
	f := e.flow
	f.RequestId = NewRequestID()
	if e.err != nil {
		f.Error = e.err.Error()
	}
	return f, nil
}

// StartSyncExecution runs an Express flow on the engine.
func (l *Local) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	const action = "StartSyncExecution"
	began := time.Now()
	exec, res, err := Starter{Find: l.findCompiled, Runner: l.Runner()}.Start(ctx, StartRequest{
		FlowName: req.FlowName, ExecutionName: req.ExecutionName, Input: req.Input, TestCase: req.TestCase,
	})
	var ae *fnf.APIError
	switch {
	case err == nil:
	case ctx.Err() != nil:
		stopped := fmt.Errorf("%s: stopped waiting: %w", action, ctx.Err())
		if res == nil {
			return nil, stopped
		}
		// The run until the stop: its times (the flow's, under FastWait)
		// and its trace; no status, which is the stop's to say.
		exec.StartedTime, exec.StoppedTime = fnf.FormatTime(res.Started), fnf.FormatTime(res.Stopped)
		return &fnf.SyncResult{Execution: exec, Latency: time.Since(began), Trace: res.Trace}, stopped
	case errors.As(err, &ae):
		return nil, local(ae, action, req.FlowName)
	default:
		return nil, err
	}
	exec.RequestId = NewRequestID()
	return &fnf.SyncResult{Execution: exec, Latency: time.Since(began), Attempts: 1, Trace: res.Trace}, nil
}

// TestCases lists the mock test cases of a flow, for pickers.
func (l *Local) TestCases(flow string) []string {
	return l.demoMocks.Merge(l.opts.Mocks).TestCases(flow)
}

// UnansweredCallbacks names the callback tasks of flow (CallbackTasks) that
// testCase ("" for the flow's default) does not mock: a mocked one takes
// its mock as its callback, the others wait for a report from outside. An
// unknown test case answers none; the run says why it cannot start.
func (l *Local) UnansweredCallbacks(flow fnf.Flow, testCase string) []string {
	answered, err := l.Mocks().testCase(flow.Name, testCase)
	if err != nil {
		return nil
	}
	return callbackTasks(flow.Definition, answered)
}

// local completes an answer of the API as the local engine gives it.
func local(e *fnf.APIError, action, flow string) *fnf.APIError {
	e.RequestID, e.Action, e.FlowName, e.Region, e.Endpoint = NewRequestID(), action, flow, "local", "the local engine"
	return e
}

// TestFileSuffix names a flow test file (flowtui test), which the flows
// directory may hold beside the flows: it is no flow.
const TestFileSuffix = ".test.yaml"
