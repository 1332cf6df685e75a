// Package fnftest runs a fake Alibaba Cloud CloudFlow (fnf, API version
// 2019-03-15) endpoint on loopback for tests.
//
// It verifies V2 (HMAC-SHA1 "RPC") and V3 (ACS3-HMAC-SHA256) request
// signatures with its own implementation written from the published spec.
// It deliberately does not import the real client or its signer, so a bug
// in the signer cannot be mirrored here and go unnoticed.
package fnftest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// APIVersion is the only Version the fake accepts.
const APIVersion = "2019-03-15"

// Default credentials used when no WithKey option is given.
const (
	DefaultAccessKeyID = "testid"
	DefaultSecret      = "testsecret"
)

// Flow is a flow as returned by ListFlows and DescribeFlow.
type Flow struct {
	Name             string
	Id               string
	Type             string
	Definition       string
	Description      string
	RoleArn          string
	ExecutionMode    string
	CreatedTime      string
	LastModifiedTime string
}

// SyncCall is what a StartSyncExecution hook receives.
type SyncCall struct {
	FlowName, ExecutionName, Input, Qualifier string
}

// SyncReply is what a StartSyncExecution hook answers. An empty Status means
// "Succeeded"; a succeeded reply with an empty Output echoes the input.
// Delay is waited before answering; if the request context ends first no
// answer is written.
type SyncReply struct {
	Status, ErrorCode, ErrorMessage, Output string
	Delay                                   time.Duration
}

// Request records one request that reached the server.
type Request struct {
	Method           string
	Action           string
	SignatureVersion string     // "v2" or "v3"
	Params           url.Values // query string and form body together
	Query            url.Values // the query string's parameters alone
	Header           http.Header
	ContentType      string
	Nonce            string
	Timestamp        string
	AccessKeyID      string
	SecurityToken    string
	Verified         bool   // signature checked and valid
	Status           int    // HTTP status answered; 0 when none was written (hang, reset, client gone)
	Code             string // error code answered, "" on success
}

// Option configures a Server.
type Option func(*Server)

// WithKey registers an access key. The first WithKey replaces the default
// testid/testsecret key; further calls add more keys.
func WithKey(accessKeyID, secret string) Option {
	return func(s *Server) {
		if !s.customKeys {
			s.keys = map[string]string{}
			s.customKeys = true
		}
		s.keys[accessKeyID] = secret
	}
}

// WithSecurityToken makes every request carry exactly this STS token.
func WithSecurityToken(token string) Option {
	return func(s *Server) { s.token = token }
}

// WithFlows preloads flows (see AddFlows for defaults).
func WithFlows(flows ...Flow) Option {
	return func(s *Server) { s.initFlows = append(s.initFlows, flows...) }
}

// WithClock replaces the server clock used for skew checks and timestamps.
func WithClock(now func() time.Time) Option {
	return func(s *Server) { s.now = now }
}

// WithTLS serves HTTPS; use Server.Client to trust its certificate.
func WithTLS() Option {
	return func(s *Server) { s.tls = true }
}

// Server is a running fake endpoint.
type Server struct {
	URL string

	ts        *httptest.Server
	now       func() time.Time
	tls       bool
	done      chan struct{} // closed at cleanup so hung handlers let Close finish
	initFlows []Flow

	mu         sync.Mutex
	keys       map[string]string
	customKeys bool
	token      string
	flows      []Flow
	nonces     map[string]bool
	onSync     func(SyncCall) SyncReply
	std        standard
	injections []*injection
	requests   []Request
}

// New starts a server on 127.0.0.1 and closes it when t finishes.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{
		now:    time.Now,
		done:   make(chan struct{}),
		keys:   map[string]string{DefaultAccessKeyID: DefaultSecret},
		nonces: map[string]bool{},
	}
	for _, o := range opts {
		o(s)
	}
	s.AddFlows(s.initFlows...)
	s.initFlows = nil

	// httptest binds 127.0.0.1 by default.
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	if s.tls {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	t.Cleanup(func() {
		close(s.done)
		s.ts.CloseClientConnections()
		s.ts.Close()
	})
	return s
}

// Client returns the httptest client, which trusts the TLS certificate.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// AddFlows adds flows in order, replacing any flow with the same name in
// place. Missing Id, Type ("FDL"), ExecutionMode ("Express") and times are
// filled in.
func (s *Server) AddFlows(flows ...Flow) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range flows {
		if f.Id == "" {
			f.Id = newUUID(false)
		}
		if f.Type == "" {
			f.Type = "FDL"
		}
		if f.ExecutionMode == "" {
			f.ExecutionMode = "Express"
		}
		if f.CreatedTime == "" {
			f.CreatedTime = s.now().UTC().Format(millisLayout)
		}
		if f.LastModifiedTime == "" {
			f.LastModifiedTime = f.CreatedTime
		}
		if i := s.flowIndexLocked(f.Name); i >= 0 {
			s.flows[i] = f
		} else {
			s.flows = append(s.flows, f)
		}
	}
}

func (s *Server) flowIndexLocked(name string) int {
	for i, f := range s.flows {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// OnStartSync replaces the default StartSyncExecution behaviour.
func (s *Server) OnStartSync(fn func(SyncCall) SyncReply) {
	s.mu.Lock()
	s.onSync = fn
	s.mu.Unlock()
}

// Requests returns copies of all requests seen so far, in arrival order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Params = cloneValues(r.Params)
		r.Query = cloneValues(r.Query)
		r.Header = r.Header.Clone()
		out[i] = r
	}
	return out
}

// Count returns how many requests for action ("" = all) were seen.
func (s *Server) Count(action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if action == "" || r.Action == action {
			n++
		}
	}
	return n
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
