package client

import (
	"context"
	"errors"
	"github.com/flowtui/flowtui/fnf"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client/fnftest"
)

// toFake sends every request, whatever its host, to the fake on loopback:
// the client believes it talks to the region's public endpoint.
type toFake struct{ fake *url.URL }

func (t toFake) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = t.fake.Scheme, t.fake.Host
	return http.DefaultTransport.RoundTrip(r)
}

const notCarriedOutMsg = "the endpoint is shutting down: it takes no new requests, and this one was not carried out"

// flowtui serve refuses a request that arrives while it stops with a code of
// its own: from an --endpoint the run is known not to have happened.
func TestAStoppingServesRefusalIsNotAnUnknownOutcome(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
	srv.FailNextCode("StartSyncExecution", 1, http.StatusServiceUnavailable, fnf.CodeNotCarriedOut, notCarriedOutMsg)
	c, _ := newTestCloud(t, srv)
	_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f"})
	var uo *fnf.UnknownOutcomeError
	var ae *fnf.APIError
	if errors.As(err, &uo) || !errors.As(err, &ae) || !ae.NotCarriedOut() {
		t.Fatalf("err = %v, want the refusal as an *APIError, not an unknown outcome", err)
	}
	if n := srv.Count("StartSyncExecution"); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
	if ex := ae.Explain(); !strings.Contains(ex.Meaning, "Nothing of flow \"f\" ran") || !strings.Contains(ex.Meaning, srv.URL) {
		t.Errorf("explanation %+v should say that nothing ran at %s", ex, srv.URL)
	}
}

// The public service never sends that code, and its 5xx on
// StartSyncExecution leaves the outcome unknown: a code it does not document
// cannot make flowtui say that nothing ran.
func TestTheNotCarriedOutCodeIsNotBelievedFromTheRegionsEndpoint(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
	srv.FailNextCode("StartSyncExecution", 1, http.StatusServiceUnavailable, fnf.CodeNotCarriedOut, notCarriedOutMsg)
	fake, _ := url.Parse(srv.URL)
	c, _ := newTestCloud(t, srv, func(cfg *Config) {
		cfg.Endpoint = ""
		cfg.HTTPClient = &http.Client{Transport: toFake{fake}}
	})
	if got := c.Info().Endpoint; !strings.HasSuffix(got, ".fnf.aliyuncs.com") {
		t.Fatalf("endpoint %s, want the region's", got)
	}
	_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f"})
	var uo *fnf.UnknownOutcomeError
	if !errors.As(err, &uo) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	var ae *fnf.APIError
	if !errors.As(err, &ae) || ae.Code != fnf.CodeNotCarriedOut {
		t.Fatalf("err = %v, want the fake's answer", err)
	}
	if strings.Contains(ae.Explain().Meaning, "Nothing") {
		t.Errorf("explanation %+v says nothing ran", ae.Explain())
	}
}

// A run flowtui serve cancelled at the end of its grace ran partway: still
// an unknown outcome, explained as a stop of the server.
func TestARunCancelledByAStoppingServeStaysAnUnknownOutcome(t *testing.T) {
	srv := fnftest.New(t, fnftest.WithFlows(fnftest.Flow{Name: "f", ExecutionMode: "Express"}))
	srv.FailNextCode("StartSyncExecution", 1, http.StatusServiceUnavailable, fnf.CodeServiceUnavailable,
		"the endpoint is shutting down: the run was cancelled before it finished, at the end of the 30s shutdown grace")
	c, _ := newTestCloud(t, srv)
	_, err := c.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "f"})
	var uo *fnf.UnknownOutcomeError
	var ae *fnf.APIError
	if !errors.As(err, &uo) || !errors.As(err, &ae) {
		t.Fatalf("err = %v, want an unknown outcome", err)
	}
	if ex := ae.Explain(); !strings.Contains(ex.Meaning, "stops") || !strings.Contains(ex.Meaning, "may have run") {
		t.Errorf("explanation %+v should say the server was stopping and states may have run", ex)
	}
}
