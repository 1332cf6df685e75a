package bench

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// sleeper is a call that takes d (on the bubble's clock) and succeeds.
func sleeper(d time.Duration) func(context.Context) (Sample, bool) {
	return func(ctx context.Context) (Sample, bool) {
		start := time.Now()
		select {
		case <-time.After(d):
		case <-ctx.Done():
			return Sample{}, false
		}
		return Sample{Latency: time.Since(start), Server: d, HasServer: true}, true
	}
}

func TestRunMakesExactlyNCalls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rep := Run(t.Context(), Config{N: 25, Concurrency: 4, Call: sleeper(10 * time.Millisecond)})
		if rep.Runs != 25 || rep.Succeeded != 25 || rep.Stopped != StopCount {
			t.Fatalf("runs %d succeeded %d stopped %q, want 25 25 count", rep.Runs, rep.Succeeded, rep.Stopped)
		}
		if rep.Latency.P50 != 10*time.Millisecond || rep.Server.Max != 10*time.Millisecond {
			t.Errorf("latency p50 %v server max %v, want 10ms", rep.Latency.P50, rep.Server.Max)
		}
		// 25 calls of 10 ms, 4 at once: 7 rounds.
		if rep.Elapsed != 70*time.Millisecond {
			t.Errorf("elapsed %v, want 70ms", rep.Elapsed)
		}
	})
}

func TestRunHonoursRate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var starts []time.Time
		call := func(ctx context.Context) (Sample, bool) {
			mu.Lock()
			starts = append(starts, time.Now())
			mu.Unlock()
			return sleeper(time.Millisecond)(ctx)
		}
		// 50 at once could start 200 calls in a second; the rate allows 20.
		rep := Run(t.Context(), Config{N: 200, Concurrency: 50, Rate: 20, Call: call})
		if rep.Runs != 200 {
			t.Fatalf("runs %d, want 200", rep.Runs)
		}
		for i := range starts {
			// Any window [t, t+1s) holds at most 20 starts.
			n := 0
			for _, s := range starts[i:] {
				if s.Sub(starts[i]) < time.Second {
					n++
				}
			}
			if n > 20 {
				t.Fatalf("%d starts within a second from start %d, want ≤ 20 (--rate 20)", n, i)
			}
		}
		if rep.Elapsed < 9950*time.Millisecond || rep.Elapsed > 10050*time.Millisecond {
			t.Errorf("200 calls at 20/s took %v, want about 10s", rep.Elapsed)
		}
	})
}

func TestRunDurationBoundsTheBench(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rep := Run(t.Context(), Config{Duration: time.Second, Concurrency: 2, Call: sleeper(150 * time.Millisecond)})
		// Starts at 0, 150, … 900 ms, 2 at once: the last two end at 1.05 s,
		// counted; nothing starts after 1 s.
		if rep.Stopped != StopDuration || rep.Runs != 14 || rep.Elapsed != 1050*time.Millisecond {
			t.Fatalf("stopped %q after %d runs in %v, want duration after 14 in 1.05s", rep.Stopped, rep.Runs, rep.Elapsed)
		}
	})
}

func TestRunStopsAtAThrottlingStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		n := 0
		var mu sync.Mutex
		call := func(ctx context.Context) (Sample, bool) {
			mu.Lock()
			n++
			k := n
			mu.Unlock()
			time.Sleep(time.Millisecond)
			if k > 10 { // the service starts refusing after 10 calls
				return Sample{Latency: time.Millisecond, Code: "Throttling.User", Throttled: true}, true
			}
			return Sample{Latency: time.Millisecond}, true
		}
		rep := Run(t.Context(), Config{N: 1000, Call: call})
		if rep.Stopped != StopThrottling {
			t.Fatalf("stopped %q, want throttling", rep.Stopped)
		}
		// 10 good calls, then the 26th throttled of the last 50 stops it.
		if rep.Runs != 36 || rep.Errors["Throttling.User"] != 26 {
			t.Errorf("runs %d, throttled %d; want 36 and 26", rep.Runs, rep.Errors["Throttling.User"])
		}
	})
}

func TestRunScatteredThrottlingIsNoStorm(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		i := 0
		call := func(ctx context.Context) (Sample, bool) {
			i++
			return Sample{Latency: time.Millisecond, Throttled: i%2 == 0, Code: map[bool]string{true: "Throttling"}[i%2 == 0]}, true
		}
		// Exactly half throttled is not more than half.
		rep := Run(t.Context(), Config{N: 200, Call: call})
		if rep.Stopped != StopCount || rep.Runs != 200 {
			t.Fatalf("stopped %q after %d, want count after 200", rep.Stopped, rep.Runs)
		}
	})
}

func TestRunInterruptedKeepsWhatCompleted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			time.Sleep(350 * time.Millisecond) // Ctrl-C during the fourth call
			cancel()
		}()
		rep := Run(ctx, Config{N: 100, Call: sleeper(100 * time.Millisecond)})
		if rep.Stopped != StopInterrupted || rep.Runs != 3 {
			t.Fatalf("stopped %q after %d, want interrupted after 3 (the cut call is not counted)", rep.Stopped, rep.Runs)
		}
	})
}

func TestRunInterruptedWaitsForTheCallsUnderWay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			time.Sleep(350 * time.Millisecond) // Ctrl-C during the fourth call
			cancel()
		}()
		live := &Live{}
		rep := Run(ctx, Config{N: 100, Grace: time.Second, Live: live, Call: sleeper(100 * time.Millisecond)})
		// The fourth call ends within the grace and is counted; no fifth starts.
		if rep.Stopped != StopInterrupted || rep.Runs != 4 || rep.Unfinished != 0 || rep.Elapsed != 400*time.Millisecond {
			t.Fatalf("stopped %q after %d (%d unfinished) in %v, want interrupted after 4 (0 unfinished) in 400ms",
				rep.Stopped, rep.Runs, rep.Unfinished, rep.Elapsed)
		}
		if c := live.Counts(); c != (Counts{Started: 4, Done: 4}) {
			t.Errorf("live counts %+v, want 4 started and done", c)
		}
	})
}

func TestRunInterruptedCutsTheCallsPastTheGrace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		go func() {
			time.Sleep(1500 * time.Millisecond) // during the second pair of calls
			cancel()
		}()
		rep := Run(ctx, Config{N: 100, Concurrency: 2, Grace: 200 * time.Millisecond, Call: sleeper(time.Second)})
		if rep.Stopped != StopInterrupted || rep.Runs != 2 || rep.Unfinished != 2 || rep.Elapsed != 1700*time.Millisecond {
			t.Fatalf("stopped %q after %d (%d unfinished) in %v, want interrupted after 2 (2 unfinished) in 1.7s",
				rep.Stopped, rep.Runs, rep.Unfinished, rep.Elapsed)
		}
	})
}

// A call that does not heed its cut (a backend stuck in a write) does not
// hold the report: Run returns AbandonAfter past the cut without it.
func TestRunInterruptedDoesNotWaitForeverForAStuckCall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		n, release := 0, make(chan struct{})
		call := func(context.Context) (Sample, bool) {
			n++
			if n == 3 {
				cancel()
				<-release // heeds nothing
			}
			return Sample{Latency: time.Millisecond}, true
		}
		start := time.Now()
		rep := Run(ctx, Config{N: 100, Grace: 100 * time.Millisecond, Call: call})
		if rep.Stopped != StopInterrupted || rep.Runs != 2 || rep.Unfinished != 1 {
			t.Fatalf("stopped %q after %d (%d unfinished), want interrupted after 2 (1 unfinished)", rep.Stopped, rep.Runs, rep.Unfinished)
		}
		if took := time.Since(start); took != 100*time.Millisecond+AbandonAfter {
			t.Errorf("Run returned after %v, want the grace and AbandonAfter", took)
		}
		close(release) // its late answer is not counted in what was reported
		synctest.Wait()
		if rep.Runs != 2 || len(rep.Samples) != 2 {
			t.Errorf("the report changed after it was made: %d runs, %d samples", rep.Runs, len(rep.Samples))
		}
	})
}

// A second Ctrl-C ends the wait for the calls under way at once.
func TestRunHurriedCutsTheCallsUnderWayAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		hurry := make(chan struct{})
		go func() {
			time.Sleep(1500 * time.Millisecond)
			cancel()
			time.Sleep(100 * time.Millisecond)
			close(hurry)
		}()
		rep := Run(ctx, Config{N: 100, Grace: time.Minute, Hurry: hurry, Call: sleeper(time.Second)})
		if rep.Runs != 1 || rep.Unfinished != 1 || rep.Elapsed != 1600*time.Millisecond {
			t.Fatalf("%d runs (%d unfinished) in %v, want 1 (1 unfinished) in 1.6s", rep.Runs, rep.Unfinished, rep.Elapsed)
		}
	})
}
