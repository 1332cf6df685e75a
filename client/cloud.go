// Package client is flowtui's client for the real CloudFlow service and any
// fnf-compatible endpoint: signed RPC over HTTPS (or plain HTTP to an
// endpoint), retries, and the resolution of credentials, region and
// endpoint. It implements fnf.Backend; only the program's wiring imports it,
// so that no other layer depends on credentials.
package client

import (
	"context"
	"errors"
	"fmt"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/pause"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Signature schemes.
const (
	SignatureV2 = "v2" // HMAC-SHA1 RPC signature, what the official fnf SDKs send
	SignatureV3 = "v3" // ACS3-HMAC-SHA256 header signature
)

// Default per-call timeouts: reads, and StartSyncExecution (the 5-minute
// Express limit plus a margin for the network).
const (
	DefaultReadTimeout = 30 * time.Second
	DefaultSyncTimeout = 5*time.Minute + 30*time.Second
)

// listPageSize is the Limit of each ListFlows page (the service allows 1–999).
const listPageSize = 100

// maxResponseBytes bounds what is read of an answer; a sync execution's output is
// bounded by the service's own limits, far below this.
const maxResponseBytes = 64 << 20

// Config configures the cloud backend.
type Config struct {
	Endpoint    string // base URL; empty means https://<Region>.fnf.aliyuncs.com
	Region      string
	Credentials CredentialsProvider
	Profile     string        // shown in Info: where the credentials come from
	Signature   string        // SignatureV2 (default) or SignatureV3
	Timeout     time.Duration // when set, replaces both default timeouts (--timeout)
	// HTTPClient supplies the transport (its Transport, else
	// http.DefaultTransport). Only the transport is used: an RPC endpoint does
	// not redirect, and per-call deadlines replace Client.Timeout.
	HTTPClient *http.Client
	Retry      RetryPolicy
	Logger     *slog.Logger // requests, statuses and latencies; never secrets
	UserAgent  string
	// Buckets are the client-side rate limits per action; nil means
	// DefaultBuckets. A load test of flowtui serve may lift them.
	Buckets map[string]Bucket

	// Clock and Sleep are seams for tests; nil means real time.
	Clock func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Cloud talks to CloudFlow, or any fnf-compatible endpoint, over signed RPC.
type Cloud struct {
	cfg         Config
	base        *url.URL
	rt          http.RoundTripper
	readTimeout time.Duration
	syncTimeout time.Duration
	readCause   error // made once: a cause per call would cost an allocation
	syncCause   error
	retry       RetryPolicy
	limit       *limiter
	log         *slog.Logger
}

// DefaultEndpoint is the service's public endpoint for a region.
func DefaultEndpoint(region string) string {
	return "https://" + region + ".fnf.aliyuncs.com"
}

// ParseEndpoint checks an --endpoint URL: http or https, a host, nothing else.
// A password written in it is never echoed (url.URL.Redacted).
func ParseEndpoint(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message quotes the whole URL, password included
		}
		return nil, fmt.Errorf("endpoint: not a URL: %w", err)
	}
	// What is shown of it: never a user, a password, a token, a query or
	// a fragment, any of which may be a secret; nor the text itself when
	// it does not even parse as scheme://host.
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, errors.New("endpoint: the scheme must be http or https, as in http://127.0.0.1:9791")
	}
	if u.Host == "" {
		return nil, errors.New("endpoint: no host, as in http://127.0.0.1:9791")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("endpoint %q: give only scheme, host and port (no user, password, query or fragment)", u.Scheme+"://"+u.Host+u.EscapedPath())
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u, nil
}

// NewCloud returns the cloud backend for cfg.
func NewCloud(cfg Config) (*Cloud, error) {
	if cfg.Credentials == nil {
		return nil, ErrNoCredentials
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if err := ValidateRegion(cfg.Region); err != nil {
		return nil, err
	}
	switch cfg.Signature {
	case "":
		cfg.Signature = SignatureV2
	case SignatureV2, SignatureV3:
	default:
		return nil, fmt.Errorf("signature %q: use v2 or v3", cfg.Signature)
	}
	endpoint := cfg.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint(cfg.Region)
	}
	base, err := ParseEndpoint(endpoint)
	if err != nil {
		return nil, err
	}
	c := &Cloud{
		cfg: cfg, base: base,
		readTimeout: DefaultReadTimeout, syncTimeout: DefaultSyncTimeout,
		retry: cfg.Retry.withDefaults(), log: cfg.Logger,
	}
	if cfg.Timeout > 0 {
		c.readTimeout, c.syncTimeout = cfg.Timeout, cfg.Timeout
	}
	c.readCause = fmt.Errorf("timed out after %s", c.readTimeout)
	c.syncCause = fmt.Errorf("timed out after %s", c.syncTimeout)
	switch {
	case cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil:
		c.rt = cfg.HTTPClient.Transport
	case cfg.HTTPClient != nil:
		c.rt = http.DefaultTransport
	default:
		// A transport of its own; per-call contexts carry the deadlines.
		c.rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.cfg.Clock == nil {
		c.cfg.Clock = time.Now
	}
	if c.cfg.Sleep == nil {
		c.cfg.Sleep = pause.For
	}
	if c.cfg.Buckets == nil {
		c.cfg.Buckets = DefaultBuckets()
	}
	c.limit = newLimiter(c.cfg.Clock, c.cfg.Buckets)
	if c.cfg.UserAgent == "" {
		c.cfg.UserAgent = "flowtui"
	}
	return c, nil
}

// Info describes the backend.
func (c *Cloud) Info() fnf.Info {
	return fnf.Info{Kind: fnf.KindCloud, Endpoint: strings.TrimSuffix(c.base.String(), "/"), Region: c.cfg.Region, Profile: c.cfg.Profile}
}

// ListFlows returns every flow, page after page.
func (c *Cloud) ListFlows(ctx context.Context) ([]fnf.Flow, error) {
	var all []fnf.Flow
	token := ""
	seen := map[string]bool{}
	for {
		params := []param{{"Limit", fmt.Sprint(listPageSize)}}
		if token != "" {
			params = append(params, param{"NextToken", token})
		}
		var page struct {
			Flows     []fnf.Flow
			NextToken string
		}
		if _, err := c.do(ctx, call{action: "ListFlows", params: params}, &page); err != nil {
			return nil, fmt.Errorf("list flows: %w", err)
		}
		all = append(all, page.Flows...)
		if page.NextToken == "" {
			return all, nil
		}
		if seen[page.NextToken] {
			return nil, fmt.Errorf("list flows: the endpoint returned NextToken %q twice; stopping instead of looping", page.NextToken)
		}
		seen[page.NextToken] = true
		token = page.NextToken
	}
}

// DescribeFlow returns one flow with its definition.
func (c *Cloud) DescribeFlow(ctx context.Context, name string) (fnf.Flow, error) {
	var f fnf.Flow
	if _, err := c.do(ctx, call{action: "DescribeFlow", flow: name, params: []param{{"Name", name}}}, &f); err != nil {
		return fnf.Flow{}, fmt.Errorf("describe flow %q: %w", name, err)
	}
	return f, nil
}

// StartSyncExecution runs an Express flow and waits for the result. It is
// retried only when throttled; any failure after the request may have reached
// the service is an *UnknownOutcomeError.
func (c *Cloud) StartSyncExecution(ctx context.Context, req fnf.SyncRequest) (*fnf.SyncResult, error) {
	params := []param{{"FlowName", req.FlowName}}
	if req.ExecutionName != "" {
		params = append(params, param{"ExecutionName", req.ExecutionName})
	}
	if req.Input != "" {
		params = append(params, param{"Input", req.Input})
	}
	if req.Qualifier != "" {
		params = append(params, param{"Qualifier", req.Qualifier})
	}
	res := &fnf.SyncResult{}
	start := time.Now()
	st, err := c.do(ctx, call{action: "StartSyncExecution", post: true, sync: true, repeat: repeatStarts,
		flow: req.FlowName, params: params, testCase: req.TestCase}, &res.Execution)
	res.Latency = time.Since(start)
	res.HTTPStatus, res.Attempts = st.status, st.attempts
	if err != nil {
		return res, err
	}
	return res, nil
}

// call is one API operation.
type call struct {
	action   string
	testCase string     // sent as x-flowtui-test-case, for flowtui serve
	post     bool       // writes: form body
	sync     bool       // StartSyncExecution: its timeout, and its name in an unknown outcome
	repeat   repeatRule // what a second attempt may do: its retries
	flow     string
	params   []param
	query    []param       // sent in the query string even on POST (ReportTask*'s TaskToken)
	timeout  time.Duration // replaces the read timeout (DescribeExecution's long poll)
}

type param struct{ name, value string }

type callStats struct {
	status, attempts int
	// uncertain: an earlier attempt failed after it may have been carried out.
	uncertain bool
}

// do runs the call with its retries and decodes a 2xx answer into out.
func (c *Cloud) do(ctx context.Context, cl call, out any) (callStats, error) {
	var st callStats
	timeout, cause := c.readTimeout, c.readCause
	switch {
	case cl.sync:
		timeout, cause = c.syncTimeout, c.syncCause
	case cl.timeout > 0:
		timeout, cause = cl.timeout, fmt.Errorf("timed out after %s", cl.timeout)
	}
	for {
		if err := c.limit.wait(ctx, cl.action); err != nil {
			return st, c.finalError(ctx, cl, err)
		}
		st.attempts++
		status, after, err := c.attempt(ctx, cl, timeout, cause, out, st.attempts)
		st.status = status
		if err == nil {
			return st, nil
		}
		if ctx.Err() != nil || st.attempts >= c.retry.MaxAttempts || !retryable(cl.repeat, err) {
			return st, c.finalError(ctx, cl, err)
		}
		st.uncertain = st.uncertain || !startedNothing(err)
		d := c.retry.Delay(st.attempts, after)
		c.log.Debug("retrying", "action", cl.action, "attempt", st.attempts, "after", d, "error", err)
		if serr := c.cfg.Sleep(ctx, d); serr != nil {
			return st, c.finalError(ctx, cl, err)
		}
	}
}

// finalError adds what the caller needs to know: a cancelled wait, and for
// a call that starts an execution whether it may have run.
func (c *Cloud) finalError(ctx context.Context, cl call, err error) error {
	var held *notSentError
	if ctx.Err() != nil && !errors.As(err, &held) {
		stopped := fmt.Errorf("%s: stopped waiting: %w", cl.action, context.Cause(ctx))
		if neverSent(err) {
			err = &notSentError{stopped}
		} else {
			err = stopped
		}
	}
	if cl.repeat != repeatStarts || startedNothing(err) {
		return err
	}
	name := ""
	for _, p := range cl.params {
		if p.name == "ExecutionName" && cl.sync {
			name = p.value // the service appends ":<UUID>", which the error explains
		}
	}
	return &fnf.UnknownOutcomeError{FlowName: cl.flow, ExecutionName: name, Err: err}
}

// startedNothing reports whether a failed call certainly was not carried
// out: nothing was sent, the service refused it (4xx), flowtui serve said it
// refused it while stopping, or no connection was made.
func startedNothing(err error) bool {
	if fnf.IsSetupError(err) {
		return true // no credentials: no request
	}
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus < 500 || ae.NotCarriedOut()
	}
	var te *fnf.TransportError
	if errors.As(err, &te) && te.HTTPStatus >= 400 && te.HTTPStatus < 500 {
		return true
	}
	return neverSent(err)
}

// attempt makes one HTTP exchange.
func (c *Cloud) attempt(ctx context.Context, cl call, timeout time.Duration, cause error, out any, n int) (status int, after time.Duration, err error) {
	creds, err := c.cfg.Credentials.Credentials()
	if err != nil {
		return 0, 0, err
	}
	actx, cancel := context.WithTimeoutCause(ctx, timeout, cause)
	defer cancel()
	req, err := c.newRequest(actx, cl, creds)
	if err != nil {
		return 0, 0, err
	}
	began := time.Now()
	// The transport directly: http.Client's redirect and cookie machinery is a
	// sixth of the client's own cost per call, and an RPC API needs neither.
	resp, err := c.rt.RoundTrip(req)
	if err != nil {
		// *url.Error quotes the signed URL; only its cause may be kept.
		err = unwrapURLError(err)
		if actx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", context.Cause(actx), context.DeadlineExceeded)
		}
		c.log.Debug("fnf call failed", "action", cl.action, "attempt", n, "latency", time.Since(began), "error", err)
		return 0, 0, &fnf.TransportError{Action: cl.action, URL: c.Info().Endpoint, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		if actx.Err() != nil && ctx.Err() == nil {
			err = fmt.Errorf("%w: %w", context.Cause(actx), context.DeadlineExceeded)
		}
		return resp.StatusCode, 0, &fnf.TransportError{Action: cl.action, URL: c.Info().Endpoint, HTTPStatus: resp.StatusCode,
			Err: fmt.Errorf("reading the answer: %w", unwrapURLError(err))}
	}
	err = c.decode(cl, resp, body, out)
	if c.log.Enabled(ctx, slog.LevelDebug) {
		c.log.Debug("fnf call", "action", cl.action, "attempt", n, "status", resp.StatusCode,
			"latency", time.Since(began), "request_id", requestIDOf(err, body), "bytes", len(body))
	}
	return resp.StatusCode, retryAfter(resp.Header), err
}
