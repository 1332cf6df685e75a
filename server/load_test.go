package server

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
)

// loadConns is how many connections the load test and the benchmark keep
// busy (64, the budget's figure in BENCHMARKS.md).
const loadConns = 64

// The run under load is small and realistic: two Choices and a Pass with a format().
const (
	loadFlow  = "order-routing"
	loadInput = `{"orderId":"A-1001","total":240,"country":"SG"}`
)

func loadRequest() fnf.SyncRequest {
	return fnf.SyncRequest{FlowName: loadFlow, Input: loadInput}
}

// loadClient is flowtui's own client, signing every call, over a transport
// that keeps up to loadConns connections to the server.
func (ts *testServer) loadClient(t testing.TB, signature string) (*client.Cloud, func()) {
	t.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: loadConns, MaxConnsPerHost: loadConns, DisableCompression: true}
	c, err := client.NewCloud(client.Config{
		Endpoint: ts.URL, Signature: signature, HTTPClient: &http.Client{Transport: tr},
		Credentials: client.StaticCredentials{AccessKeyID: testKeyID, AccessKeySecret: testSecret},
		// One attempt: a retry would hide a lost or refused request.
		Retry: client.RetryPolicy{MaxAttempts: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, tr.CloseIdleConnections
}

// lineCounter counts the server's log lines: one per request it answered.
type lineCounter struct{ n atomic.Int64 }

func (l *lineCounter) Write(p []byte) (int, error) {
	l.n.Add(int64(bytes.Count(p, []byte{'\n'})))
	return len(p), nil
}

func TestLoad64ConnectionsLoseNoResponse(t *testing.T) {
	if testing.Short() {
		t.Skip("load test: about 2 s of traffic")
	}
	var served lineCounter
	ts := start(t, Config{Log: &served})
	c, closeIdle := ts.loadClient(t, client.SignatureV2)
	defer closeIdle()

	ctx, stop := context.WithTimeout(t.Context(), 2*time.Second)
	defer stop()
	var sent, answered, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	for range loadConns {
		wg.Go(func() {
			for ctx.Err() == nil {
				sent.Add(1)
				// The calls themselves are not cut off at the deadline: every
				// request sent must be answered.
				res, err := c.StartSyncExecution(context.WithoutCancel(ctx), loadRequest())
				switch {
				case err != nil:
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
				case res.Status != fnf.StatusSucceeded || res.RequestId == "":
					failed.Add(1)
					firstErr.CompareAndSwap(nil, res)
				default:
					answered.Add(1)
				}
			}
		})
	}
	wg.Wait()
	t.Logf("%d requests in ~2 s over %d connections (%.0f/s)", sent.Load(), loadConns, float64(sent.Load())/2)
	if failed.Load() != 0 || answered.Load() != sent.Load() {
		t.Fatalf("%d sent, %d answered, %d failed; first failure: %v", sent.Load(), answered.Load(), failed.Load(), firstErr.Load())
	}
	if n := served.n.Load(); n != sent.Load() {
		t.Fatalf("the server logged %d requests, the clients sent %d", n, sent.Load())
	}
	if sent.Load() < loadConns {
		t.Fatalf("only %d requests in 2 s", sent.Load())
	}
}

// BenchmarkStartSyncExecutionLoopback is the emulator's throughput: signed
// StartSyncExecution calls from flowtui's own client, 64 at a time over 64
// loopback connections, client and server in this one process (budget in
// BENCHMARKS.md: ≥ 10k/s on 2 cores). It reports requests per second, the latency
// percentiles of one call, and the process's CPU per call (cpu-µs/req) with
// the rate two idle cores would sustain at that cost (req/s@2cores): on a
// shared machine the wall-clock rate says more about the neighbours.
func BenchmarkStartSyncExecutionLoopback(b *testing.B) {
	for _, sig := range []string{client.SignatureV2, client.SignatureV3} {
		b.Run(sig, func(b *testing.B) {
			ts := start(b, Config{})
			c, closeIdle := ts.loadClient(b, sig)
			defer closeIdle()
			ctx, req := context.Background(), loadRequest()
			b.SetParallelism((loadConns + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
			var mu sync.Mutex
			var all []time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := processCPU()
			began := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				lat := make([]time.Duration, 0, 1024)
				for pb.Next() {
					t0 := time.Now()
					res, err := c.StartSyncExecution(ctx, req)
					if err != nil || res.Status != fnf.StatusSucceeded {
						b.Errorf("run: %v %+v", err, res)
						return
					}
					lat = append(lat, time.Since(t0))
				}
				mu.Lock()
				all = append(all, lat...)
				mu.Unlock()
			})
			elapsed := time.Since(began)
			cpu1, _ := processCPU()
			b.StopTimer()
			reportLatencies(b, all, elapsed, cpu1-cpu0, cpuOK)
		})
	}
}

// BenchmarkStartSyncExecutionPresigned is the server alone under the same
// load: the requests are signed (each with its own nonce) before the clock
// starts, and 64 connections send them as raw HTTP/1.1 and read the answers,
// as a load generator such as wrk would. The process's CPU per request is
// then mostly the server's.
func BenchmarkStartSyncExecutionPresigned(b *testing.B) {
	for _, sig := range []string{client.SignatureV2, client.SignatureV3} {
		b.Run(sig, func(b *testing.B) {
			ts := start(b, Config{})
			presigned(b, ts, call{action: "StartSyncExecution", sig: sig, params: []string{"FlowName", loadFlow, "Input", loadInput}})
		})
	}
}

// presigned signs b.N copies of c, each with its own nonce, then sends them
// over loadConns raw connections and reports the rate, the CPU and the
// latencies.
func presigned(b *testing.B, ts *testServer, c call) {
	reqs := make([][]byte, b.N)
	for i := range reqs {
		r := ts.request(b, c)
		var buf bytes.Buffer
		if err := r.Write(&buf); err != nil {
			b.Fatal(err)
		}
		reqs[i] = buf.Bytes()
	}
	var next atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	began := time.Now()
	for range loadConns {
		wg.Go(func() {
			lat, err := rawConn(ts.host, reqs, &next)
			if err != nil {
				b.Error(err)
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	cpu1, _ := processCPU()
	b.StopTimer()
	reportLatencies(b, all, elapsed, cpu1-cpu0, cpuOK)
}

// rawConn sends requests from reqs, taking the next index from next, one at a
// time over one connection, and returns each one's latency.
func rawConn(addr string, reqs [][]byte, next *atomic.Int64) ([]time.Duration, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	var lat []time.Duration
	for {
		i := int(next.Add(1)) - 1
		if i >= len(reqs) {
			return lat, nil
		}
		t0 := time.Now()
		if _, err := conn.Write(reqs[i]); err != nil {
			return lat, err
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return lat, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			return lat, fmt.Errorf("answer %d: %v", resp.StatusCode, err)
		}
		lat = append(lat, time.Since(t0))
	}
}

// reportLatencies reports the rate, the CPU per request and the latency
// percentiles of the calls a benchmark made.
func reportLatencies(b *testing.B, all []time.Duration, elapsed, cpu time.Duration, cpuOK bool) {
	if len(all) == 0 {
		return
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	if cpuOK {
		// What one call costs this process, and so the rate two otherwise
		// idle cores would sustain, whatever else the machine is doing.
		perCall := float64(cpu.Microseconds()) / float64(len(all))
		b.ReportMetric(perCall, "cpu-µs/req")
		b.ReportMetric(2e6/perCall, "req/s@2cores")
	}
	slices.Sort(all)
	for _, p := range []struct {
		name string
		q    float64
	}{{"p50-ms", 0.50}, {"p90-ms", 0.90}, {"p99-ms", 0.99}} {
		d := all[min(len(all)-1, int(p.q*float64(len(all))))]
		b.ReportMetric(float64(d.Microseconds())/1000, p.name)
	}
	b.ReportMetric(0, "ns/op") // per-op time means nothing for 64 calls at once
}
