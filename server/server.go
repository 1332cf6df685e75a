package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// Defaults of Config.
const (
	DefaultAddr = "127.0.0.1:9791"
	// DefaultMaxConcurrent is the service's limit of running executions per account.
	DefaultMaxConcurrent = 10000
	// DefaultShutdownGrace is how long a stopping server waits for requests in
	// flight before it cancels their runs.
	DefaultShutdownGrace = 30 * time.Second
	// answerTime bounds the wait, past the grace, for cancelled requests to
	// write their 503: a run ends at its next state, which is soon.
	answerTime = 5 * time.Second
)

// Config configures a Server.
type Config struct {
	// Local says where the flows and mocks come from: the flows directory, the
	// demo flows, the mock file. They are loaded once, into memory.
	Local engine.LocalOptions
	// The one key pair requests must be signed with. Both are required.
	AccessKeyID     string
	AccessKeySecret fnf.Secret
	// MaxConcurrent caps the executions running at once; past it
	// StartSyncExecution answers 429 ResourceThrottled. 0: DefaultMaxConcurrent.
	MaxConcurrent int
	// MaxFlows caps the flows held; 0: DefaultMaxFlows.
	MaxFlows int
	// NonceCapacity caps the signature nonces remembered; 0: DefaultNonceCapacity.
	NonceCapacity int
	// ShutdownGrace bounds the drain on stop; 0: DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// MaxExecutions and MaxExecutionBytes bound the Standard executions
	// kept in memory, the oldest finished forgotten first; 0: the engine's
	// defaults. StandardLimit is how long one may run; 0: a year, as in the
	// service.
	MaxExecutions     int
	MaxExecutionBytes int64
	StandardLimit     time.Duration
	// Log receives one line per request; nil: none.
	Log io.Writer
	// Now is the clock for timestamps and the skew check; nil: time.Now.
	Now func() time.Time
	// OnStop, when set, is told once Serve begins to stop, before anything
	// is stopped, how many Standard executions and synchronous runs are
	// running: what a stop log counts.
	OnStop func(standard, sync int)
}

// Server is flowtui's fnf-compatible endpoint: the fnf 2019-03-15 RPC API
// over the embedded engine. It is an http.Handler; Serve runs it on a
// listener until its context ends.
type Server struct {
	keyID      string
	secret     fnf.Secret
	now        func() time.Time
	nonces     *nonceCache
	flows      *flowStore
	runner     engine.Runner
	starter    engine.Starter
	maxRunning int64
	running    atomic.Int64
	grace      time.Duration
	onStop     func(standard, sync int)
	log        *requestLog
	// Shutdown: once stopping is set, requests are answered 503; inflight
	// counts the requests between ServeHTTP's start and end, and idle
	// receives a token when it drops to zero while stopping.
	stopping atomic.Bool
	inflight atomic.Int64
	idle     chan struct{}
	// Keyed hashes for verifying signatures (see newMACs).
	v2mac, v3mac sync.Pool
	// The Standard executions, and the runner they run on (see New).
	execs     standard
	stdRunner engine.Runner
	// waits ends when the server stops: long polls answer at once.
	waits    context.Context
	endWaits context.CancelFunc
}

// New loads the flows and mocks and returns a server ready to serve.
func New(cfg Config) (*Server, error) {
	if cfg.AccessKeyID == "" || cfg.AccessKeySecret.IsZero() {
		return nil, errors.New("server: an AccessKey ID and secret are both required: requests are verified against them")
	}
	if cfg.MaxConcurrent < 0 || cfg.MaxFlows < 0 || cfg.NonceCapacity < 0 || cfg.ShutdownGrace < 0 ||
		cfg.MaxExecutions < 0 || cfg.MaxExecutionBytes < 0 || cfg.StandardLimit < 0 {
		return nil, fmt.Errorf("server: limits must not be negative (max concurrent %d, max flows %d, nonce capacity %d, grace %s, max executions %d, max execution bytes %d, Standard limit %s)",
			cfg.MaxConcurrent, cfg.MaxFlows, cfg.NonceCapacity, cfg.ShutdownGrace, cfg.MaxExecutions, cfg.MaxExecutionBytes, cfg.StandardLimit)
	}
	if cfg.Local.HTTP == nil {
		// One client for every HTTP:Request Task, so that they share connections.
		// No client timeout: the engine bounds each Task by its own Timeout.
		cfg.Local.HTTP = &http.Client{}
	}
	local, err := engine.NewLocal(cfg.Local)
	if err != nil {
		return nil, fmt.Errorf("server: loading flows: %w", err)
	}
	flows, err := local.Compiled()
	if err != nil {
		return nil, fmt.Errorf("server: loading flows: %w", err)
	}
	s := &Server{
		keyID: cfg.AccessKeyID, secret: cfg.AccessKeySecret, now: cfg.Now,
		nonces:     newNonceCache(cfg.NonceCapacity),
		runner:     *local.Runner(),
		maxRunning: int64(cfg.MaxConcurrent),
		grace:      cfg.ShutdownGrace,
		onStop:     cfg.OnStop,
		log:        newRequestLog(cfg.Log),
		idle:       make(chan struct{}, 1),
		// Standard executions are inspected after their end, so they keep
		// what NoTrace drops; their time limit is ExecutionsOptions.Limit,
		// not the runner's (the Express 5 minutes).
		stdRunner: *local.Runner(),
	}
	s.runner.NoTrace = true // a synchronous run's trace is never sent
	s.waits, s.endWaits = context.WithCancel(context.Background())
	s.newMACs()
	if s.now == nil {
		s.now = time.Now
	}
	if s.maxRunning == 0 {
		s.maxRunning = DefaultMaxConcurrent
	}
	if s.grace == 0 {
		s.grace = DefaultShutdownGrace
	}
	s.starter = engine.Starter{Find: s.find, Runner: &s.runner, Admit: s.admit, Release: s.release}
	s.execs = engine.NewExecutions(engine.ExecutionsOptions{
		Find: s.find, Runner: &s.stdRunner, Limit: cfg.StandardLimit,
		MaxExecutions: cfg.MaxExecutions, MaxBytes: cfg.MaxExecutionBytes,
	})
	loaded := fnf.FormatTime(s.now())
	for _, c := range flows {
		// Flows from files have no id or times; give them what the service
		// would, before anything else can see them.
		c.Flow.Id, c.Flow.CreatedTime, c.Flow.LastModifiedTime = engine.NewID(), loaded, loaded
	}
	s.flows = newFlowStore(flows, cfg.MaxFlows)
	return s, nil
}

// Flows lists the flows held now, with the problem of each that does not load.
func (s *Server) Flows() []fnf.Flow {
	flows, _ := s.flows.page("", s.flows.len())
	return flows
}

// Running reports how many synchronous runs (StartSyncExecution) are in
// progress: those --max-concurrent bounds.
func (s *Server) Running() int { return int(s.running.Load()) }

// RunningStandard reports how many Standard executions (StartExecution)
// have not yet ended; they hold no slot of MaxConcurrent.
func (s *Server) RunningStandard() int { return s.execs.Running() }

// ServeHTTP answers one fnf RPC call.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.inflight.Add(1)
	defer s.requestDone(w)
	began := time.Now()
	rq := &request{w: w, r: r, id: engine.NewRequestID(), stopping: &s.stopping}
	w.Header().Set("x-acs-request-id", rq.id)
	s.handle(rq)
	s.log.write(began, rq, time.Since(began))
	if rq.overflow {
		rq.discardRest()
	}
}

// requestDone counts a request out. While stopping, its answer is flushed
// first: once none is in flight Serve closes every connection, and an answer
// still in a buffer would be lost.
func (s *Server) requestDone(w http.ResponseWriter) {
	if s.stopping.Load() {
		_ = http.NewResponseController(w).Flush()
	}
	if s.inflight.Add(-1) == 0 && s.stopping.Load() {
		select {
		case s.idle <- struct{}{}:
		default:
		}
	}
}

func (s *Server) handle(rq *request) {
	if e := rq.read(); e != nil {
		rq.fail(e)
		return
	}
	if s.stopping.Load() {
		rq.fail(shuttingDown(CodeNotCarriedOut, "it takes no new requests, and this one was not carried out; send it again once the server is back"))
		return
	}
	h := s.handler(rq.action)
	if h == nil {
		rq.fail(errorf(http.StatusBadRequest, fnf.CodeActionNotSupported,
			"action %q is not supported: this endpoint serves %s", rq.action, strings.Join(Actions(), ", ")))
		return
	}
	if e := s.verify(rq); e != nil {
		rq.fail(e)
		return
	}
	h(s, rq)
}

// errShuttingDown is the cause with which runs are cancelled at the end of
// the grace period; their handlers answer 503 for it.
var errShuttingDown = errors.New("the server is shutting down")

// Serve answers on ln until ctx ends, then stops: see stop. It closes ln.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Requests live on a context of their own, cancelled only when the grace
	// period is over: the signal that stops the server must not stop runs.
	base, cancelRuns := context.WithCancelCause(context.WithoutCancel(ctx))
	defer cancelRuns(nil)
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		// Room for a query string of a whole 1 MiB request; past this,
		// listener answers EntityTooLarge in net/http's place.
		MaxHeaderBytes: MaxRequestBytes + 64<<10,
		BaseContext:    func(net.Listener) context.Context { return base },
		ErrorLog:       log.New(s.log.errorWriter(), "flowtui serve: ", 0),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(listener{ln, s}) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	return s.stop(hs, ln, served, cancelRuns)
}

// stop closes the listener, so that new connections are refused at once (the
// port is free for the next server, and a client knows nothing was sent),
// and answers any request that still comes on an open connection 503
// ServiceUnavailable. It waits up to the grace period for the requests in
// flight; past it, it cancels their runs, which end at their next state and
// are answered 503. Every connection closes after its answer. Long polls
// (DescribeExecution) end at once: the Standard executions still running
// are stopped first, so that a poll answers each as Stopped, with the cause.
//
// http.Server.Shutdown is not used: a request read after it began is
// dropped without an answer, and past its deadline Close cuts the answers of
// the cancelled runs.
func (s *Server) stop(hs *http.Server, ln net.Listener, served <-chan error, cancelRuns context.CancelCauseFunc) error {
	// Idle keep-alive connections stay open until the end, so that a request
	// a client sends on one meanwhile is answered 503 rather than met by a
	// closed connection; every answer from now on closes its connection.
	s.stopping.Store(true)
	if s.onStop != nil {
		s.onStop(s.RunningStandard(), s.Running())
	}
	// Stopping the Standard executions first ends their long polls with
	// the truth (Stopped, and why), so that a client following one records
	// its end rather than a Running it can never update.
	closed := s.closeExecutions()
	s.endWaits() // any other long poll would hold the drain for up to a minute
	ln.Close()
	<-served
	defer hs.Close()
	return errors.Join(s.drain(cancelRuns), closed)
}

// drain waits for the requests in flight: up to the grace period, then
// cancels their runs and waits for their 503s.
func (s *Server) drain(cancelRuns context.CancelCauseFunc) error {
	if s.drained(s.grace) {
		return nil
	}
	n := s.inflight.Load()
	cancelRuns(errShuttingDown)
	if s.drained(answerTime) {
		return fmt.Errorf("stop: %s in flight at the end of the %s grace: cancelled and answered 503 ServiceUnavailable", requests(n), s.grace)
	}
	return fmt.Errorf("stop: %s in flight at the end of the %s grace: cancelled; %s did not end within %s more and lost their answer",
		requests(n), s.grace, requests(s.inflight.Load()), answerTime)
}

func requests(n int64) string {
	if n == 1 {
		return "1 request"
	}
	return fmt.Sprintf("%d requests", n)
}

// drained waits up to d for no request to be in flight.
func (s *Server) drained(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for s.inflight.Load() > 0 {
		select {
		case <-s.idle:
		case <-t.C:
			return s.inflight.Load() == 0
		}
	}
	return true
}
