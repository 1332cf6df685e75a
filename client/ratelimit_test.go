package client

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// The API rate buckets (https://help.aliyun.com/en/document_detail/122093.html):
// DescribeExecution and GetExecutionHistory 50 at once then 5 a second, StartExecution 100
// and 100, the other Standard actions 10 and 2.
func TestBucketsLetTheBurstThroughThenKeepTheRate(t *testing.T) {
	for action, want := range map[string]time.Duration{
		"DescribeExecution":   2 * time.Second, // 60 calls: 50 at once, 10 at 5/s
		"GetExecutionHistory": 2 * time.Second,
		"ListExecutions":      25 * time.Second, // 60 calls: 10 at once, 50 at 2/s
		"StartExecution":      0,                // 60 calls within the burst of 100
		"StartSyncExecution":  0,                // not limited
	} {
		synctest.Test(t, func(t *testing.T) {
			l := newLimiter(time.Now, DefaultBuckets())
			began := time.Now()
			for range 60 {
				if err := l.wait(context.Background(), action); err != nil {
					t.Fatal(err)
				}
			}
			if got := time.Since(began); got < want || got > want+time.Millisecond {
				t.Errorf("%s: 60 calls took %v, want %v", action, got, want)
			}
		})
	}
}

// Callers waiting together share the rate; none gets ahead of it.
func TestConcurrentCallersShareTheBucket(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(time.Now, map[string]Bucket{"ListExecutions": {Rate: 2, Burst: 10}})
		began := time.Now()
		var wg sync.WaitGroup
		for range 30 {
			wg.Go(func() { _ = l.wait(context.Background(), "ListExecutions") })
		}
		wg.Wait()
		if got := time.Since(began); got < 10*time.Second || got > 10*time.Second+time.Millisecond {
			t.Fatalf("30 calls took %v, want 10s (10 at once, 20 at 2/s)", got)
		}
	})
}

// stuckServer answers every DescribeExecution at once with a running
// execution, as an endpoint that ignores WaitTimeSeconds would.
type stuckServer struct {
	mu sync.Mutex
	n  int
}

func (s *stuckServer) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Request: r,
		Body: io.NopCloser(strings.NewReader(`{"RequestId":"r","FlowName":"order","Name":"o_1","Status":"Running"}`))}, nil
}

// A follower that long-polls an endpoint answering at once cannot loop
// faster than the DescribeExecution bucket.
func TestAFollowerCannotBusyLoop(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rt := &stuckServer{}
		c, err := NewCloud(Config{Endpoint: "http://fnf.test", Credentials: StaticCredentials{AccessKeyID: "id", AccessKeySecret: "s"},
			HTTPClient: &http.Client{Transport: rt}})
		if err != nil {
			t.Fatal(err)
		}
		began := time.Now()
		for range 300 {
			d, err := c.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "order", ExecutionName: "o_1", Wait: time.Minute})
			if err != nil || d.Status != fnf.StatusRunning {
				t.Fatalf("got %+v, %v", d, err)
			}
		}
		// 50 at once, then 5 a second.
		if got, want := time.Since(began), 50*time.Second; got < want || rt.n != 300 {
			t.Fatalf("300 polls took %v (%d calls), want at least %v", got, rt.n, want)
		}
	})
}

// Empty buckets lift the limits (a load test of flowtui serve).
func TestEmptyBucketsLimitNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l := newLimiter(time.Now, map[string]Bucket{})
		began := time.Now()
		for range 1000 {
			_ = l.wait(context.Background(), "DescribeExecution")
		}
		if got := time.Since(began); got != 0 {
			t.Fatalf("took %v", got)
		}
	})
}
