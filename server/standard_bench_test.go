package server

import (
	"fmt"
	"net/http"
	"runtime"
	"testing"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

// Standard flows for the benchmarks: one that ends at once, one that waits
// the longest a Standard Wait may (300 s).
const (
	stdPassFile = "Name: std-pass\nExecutionMode: Standard\nDefinition: |\n" +
		"  Type: StateMachine\n  Name: std-pass\n  SpecVersion: v1\n  StartAt: A\n  States:\n" +
		"    - Type: Pass\n      Name: A\n      End: true\n"
	stdWaitFile = "Name: std-wait\nExecutionMode: Standard\nDefinition: |\n" +
		"  Type: StateMachine\n  Name: std-wait\n  SpecVersion: v1\n  StartAt: W\n  States:\n" +
		"    - Type: Wait\n      Name: W\n      Seconds: 300\n      End: true\n"
)

func standardServer(b *testing.B) *testServer {
	return start(b, Config{Local: engineOpts(flowDir(b, map[string]string{"std-pass.yaml": stdPassFile, "std-wait.yaml": stdWaitFile}))})
}

// BenchmarkStartExecutionPresigned is StartExecution's throughput, signed
// V2, 64 connections, pre-signed as in BenchmarkStartSyncExecutionPresigned:
// "engine" starts real executions of a one-Pass Standard flow, "wire" the
// server alone, with a fake of the executions that answers at once.
func BenchmarkStartExecutionPresigned(b *testing.B) {
	start := call{action: "StartExecution", sig: client.SignatureV2, params: []string{"FlowName", "std-pass", "Input", loadInput}}
	b.Run("engine", func(b *testing.B) {
		ts := standardServer(b)
		wantOK(b, ts.do(b, start))
		presigned(b, ts, start)
	})
	b.Run("wire", func(b *testing.B) {
		ts := standardServer(b)
		ts.useFake(newFake())
		presigned(b, ts, start)
	})
}

// BenchmarkThousandWaitingExecutions starts 1,000 executions that wait
// 300 s, then reports what they cost (heap, goroutines) and how long other
// calls take meanwhile: one op is a DescribeExecution and a ListExecutions
// page.
func BenchmarkThousandWaitingExecutions(b *testing.B) {
	const waiting = 1000
	ts := standardServer(b)
	wantOK(b, ts.do(b, call{action: "StartExecution", params: []string{"FlowName", "std-pass"}}))
	heap0, g0 := heapInUse(), runtime.NumGoroutine()
	for i := range waiting {
		a := ts.do(b, call{action: "StartExecution", params: []string{"FlowName", "std-wait", "ExecutionName", fmt.Sprintf("w%04d", i), "Input", loadInput}})
		wantOK(b, a)
		if a.str("Status") != string(fnf.StatusRunning) {
			b.Fatalf("execution %d: %s", i, a.raw)
		}
	}
	heap1, g1 := heapInUse(), runtime.NumGoroutine()
	b.ResetTimer()
	for i := range b.N {
		d := ts.do(b, call{action: "DescribeExecution", method: http.MethodGet, inQuery: true,
			params: []string{"FlowName", "std-wait", "ExecutionName", fmt.Sprintf("w%04d", i%waiting)}})
		wantOK(b, d)
		wantOK(b, ts.do(b, call{action: "ListExecutions", method: http.MethodGet, inQuery: true, params: []string{"FlowName", "std-wait", "Status", "Running"}}))
	}
	// Reported after the loop: ResetTimer drops metrics reported before it.
	b.ReportMetric(float64(heap1-heap0)/(1<<20), "heap-MiB")
	b.ReportMetric(float64(heap1-heap0)/waiting/1024, "heap-KiB/exec")
	b.ReportMetric(float64(g1-g0), "goroutines")
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapInuse)
}
