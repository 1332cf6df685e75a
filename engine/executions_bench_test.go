package engine

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// BenchmarkWaitingStandardExecutions measures what 1,000 Standard
// executions cost while they wait, on a Wait state or on a callback: heap
// and goroutine stacks per execution, and goroutines per execution. A
// waiting execution is a parked goroutine: no thread, no CPU.
func BenchmarkWaitingStandardExecutions(b *testing.B) {
	const n = 1000
	for _, c := range []struct{ name, src string }{{"Wait", waitFlow}, {"Callback", approvalFlow}} {
		b.Run(c.name, func(b *testing.B) {
			var bytes, goroutines float64
			for b.Loop() {
				e := newStd(b, ExecutionsOptions{}, "", standard("t", c.src))
				before, g0 := memUse()
				for i := range n {
					if _, err := e.StartExecution(context.Background(), fnf.StartRequest{FlowName: "t", ExecutionName: fmt.Sprintf("e%d", i), Input: `{"orderId":"A-1001"}`}); err != nil {
						b.Fatal(err)
					}
				}
				time.Sleep(100 * time.Millisecond) // every one reaches its wait
				after, g1 := memUse()
				bytes += float64(after-before) / n
				goroutines += float64(g1-g0) / n
				if e.Running() != n {
					b.Fatalf("Running = %d; want %d waiting", e.Running(), n)
				}
				e.Close(context.Background(), "benchmark over")
			}
			b.ReportMetric(bytes/float64(b.N), "B/execution")
			b.ReportMetric(goroutines/float64(b.N), "goroutines/execution")
		})
	}
}

// memUse is the live heap and the goroutine stacks, after a collection.
func memUse() (uint64, int) {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc + m.StackInuse, runtime.NumGoroutine()
}
