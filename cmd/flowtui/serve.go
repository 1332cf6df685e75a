package main

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/server"
)

// Environment variables that give flowtui serve its key pair.
const (
	envServeKeyID     = "FLOWTUI_ACCESS_KEY_ID"
	envServeKeySecret = "FLOWTUI_ACCESS_KEY_SECRET"
)

type serveFlags struct {
	addr, keyID, keySecret string
	maxConcurrent          int
	grace                  time.Duration
	quiet                  bool
}

func (a *app) serveCommand() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the fnf API over the embedded engine, for SDKs, CLIs and CI",
		Long: `Serve the CloudFlow API (fnf 2019-03-15, RPC style) over the embedded engine,
on GET and POST /, for the demo flows and the flows of --flows DIR (flows created,
updated or deleted live in memory), with the mocks of --mocks FILE (a run picks its
test case with the request header x-flowtui-test-case, which 'flowtui run --test-case'
sends). It answers:
` + wrap(strings.Join(server.Actions(), ", "), 80) + `.
Standard executions run in the server, in memory, and end with it.

Requests must be signed (V2 HMAC-SHA1 or V3 ACS3-HMAC-SHA256) with the server's key pair:
--access-key-id/--access-key-secret, else FLOWTUI_ACCESS_KEY_ID/FLOWTUI_ACCESS_KEY_SECRET,
else a pair generated at start and printed, with the export line that points a client at it.
An STS SecurityToken is accepted and ignored.

It binds to loopback unless --addr says otherwise. SIGINT, SIGTERM or SIGHUP stops taking
requests (new connections are refused, a request on an open one is answered 503
ServiceUnavailable), waits up to --shutdown-grace for those in flight, answers the runs
still going past it 503 ServiceUnavailable after cancelling them, and exits.`,
		Args: noArgs("serve"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", server.DefaultAddr, "listen on `HOST:PORT` (port 0 picks a free one)")
	fl.StringVar(&f.keyID, "access-key-id", "", "the AccessKey ID requests must be signed with (default $"+envServeKeyID+", else generated)")
	fl.StringVar(&f.keySecret, "access-key-secret", "", "its secret (default $"+envServeKeySecret+", which keeps it out of the process list)")
	fl.IntVar(&f.maxConcurrent, "max-concurrent", server.DefaultMaxConcurrent, "synchronous runs (StartSyncExecution) at once; past it StartSyncExecution answers 429 ResourceThrottled (Standard executions are not counted)")
	fl.DurationVar(&f.grace, "shutdown-grace", server.DefaultShutdownGrace, "on SIGINT, SIGTERM or SIGHUP, how long to wait for requests in flight before cancelling their runs (each is then answered 503 ServiceUnavailable)")
	fl.BoolVar(&f.quiet, "quiet", false, "do not log one line per request on stderr")
	return cmd
}

func (a *app) serve(cmd *cobra.Command, f serveFlags) error {
	if a.g.endpoint != "" {
		return usageErr("--endpoint points a client at a server; flowtui serve is the server (use --addr)")
	}
	if f.maxConcurrent < 1 {
		return usageErr("--max-concurrent %d: must be at least 1", f.maxConcurrent)
	}
	if f.grace <= 0 {
		return usageErr("--shutdown-grace %s: must be positive", f.grace)
	}
	keyID, secret, generated, err := serveKeys(f.keyID, f.keySecret)
	if err != nil {
		return err
	}
	opts := engine.LocalOptions{Demos: true, FlowsDir: a.flowsDir(), FlowsDirMust: a.g.flows != ""}
	if opts.FlowsDirMust {
		if fi, err := os.Stat(opts.FlowsDir); err != nil || !fi.IsDir() {
			return usageErr("--flows %s: not a directory", opts.FlowsDir)
		}
	}
	if a.g.mocks != "" {
		m, err := engine.LoadMocks(a.g.mocks)
		if err != nil {
			return usageErr("--mocks: %s", sanitize.Text(err.Error()))
		}
		opts.Mocks = m
	}
	stderr := &syncWriter{w: a.io.err}
	var logw io.Writer
	if !f.quiet {
		logw = stderr
	}
	srv, err := server.New(server.Config{
		Local: opts, AccessKeyID: keyID, AccessKeySecret: secret,
		MaxConcurrent: f.maxConcurrent, ShutdownGrace: f.grace, Log: logw,
		// Counted by the server as it begins to stop: a count taken beside
		// it could see executions it had stopped already.
		OnStop: func(standard, sync int) {
			fmt.Fprintf(stderr, "flowtui serve: stopping: %s stopped (they end with the server); waiting up to %s for %s; interrupt again to quit at once\n",
				human.Count(standard, "running Standard execution is", "running Standard executions are"),
				f.grace, human.Count(sync, "synchronous run", "synchronous runs"))
		},
	})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return &exitError{code: exitAPI, err: fmt.Errorf("serve: --addr %s: %w", f.addr, err)}
	}
	a.serveBanner(ln.Addr(), srv, keyID, secret, generated, f)

	ctx := cmd.Context()
	served, watched := make(chan struct{}), make(chan struct{})
	again := make(chan os.Signal, 1)
	defer func() {
		signal.Stop(again)
		close(again) // no delivery after Stop: ends the waiting goroutine
	}()
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
			// A second stop signal quits at once. Caught rather than
			// reset to the default: a background job of a script inherits
			// SIGINT ignored, and resetting would restore that.
			signal.Notify(again, stopSignals...)
			go func() {
				if _, ok := <-again; ok {
					fmt.Fprintln(stderr, "flowtui serve: quitting at once")
					os.Exit(exitInterrupted)
				}
			}()
		case <-served:
		}
	}()
	err = srv.Serve(ctx, ln)
	close(served)
	<-watched
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{code: exitInterrupted, err: err}
		}
		return &exitError{code: exitAPI, err: err}
	}
	fmt.Fprintln(a.io.err, "flowtui serve: stopped")
	return nil
}

// serveKeys picks the key pair: flags, else the environment, else a fresh pair.
func serveKeys(flagID, flagSecret string) (id string, secret fnf.Secret, generated bool, err error) {
	id, s := flagID, flagSecret
	from := "--access-key-id and --access-key-secret"
	if id == "" && s == "" {
		id, s = os.Getenv(envServeKeyID), os.Getenv(envServeKeySecret)
		from = envServeKeyID + " and " + envServeKeySecret
	}
	switch {
	case id == "" && s == "":
		id, s = generateKeyPair()
		return id, fnf.Secret(s), true, nil
	case id == "" || s == "":
		return "", "", false, usageErr("serve: give both %s, or neither to have a key pair generated", from)
	case strings.ContainsAny(id, " \t\r\n,=;"):
		return "", "", false, usageErr("serve: the AccessKey ID %q holds a space, comma, '=' or ';', which a V3 Authorization header cannot carry", id)
	}
	return id, fnf.Secret(s), false, nil
}

// generateKeyPair makes an ID that says where it comes from, and a secret of
// 128 random bits.
func generateKeyPair() (id, secret string) {
	var b [8]byte
	rand.Read(b[:])
	return "FLOWTUI" + strings.ToUpper(hex.EncodeToString(b[:])), rand.Text()
}

// serveBanner says where the server listens, what it holds, and how to point
// a client at it. The generated secret is printed here, once, because the
// user must paste it; a secret that was given is never printed.
func (a *app) serveBanner(addr net.Addr, srv *server.Server, keyID string, secret fnf.Secret, generated bool, f serveFlags) {
	// One write, so that whoever watches stderr for the address sees the
	// whole banner with it.
	w := &strings.Builder{}
	defer func() { io.WriteString(a.io.err, w.String()) }()
	url := "http://" + addr.String()
	flows := srv.Flows()
	broken := 0
	for _, fl := range flows {
		if fl.Error != "" {
			broken++
			fmt.Fprintf(w, "flowtui serve: flow %s does not load (runs answer InvalidArgument):\n%s\n", sanitize.Line(fl.Name), sanitize.Text(fl.Error))
		}
	}
	fmt.Fprintf(w, "flowtui serve: listening on %s (fnf %s; %d flows", url, fnf.APIVersion, len(flows))
	if broken > 0 {
		fmt.Fprintf(w, ", %d do not load", broken)
	}
	fmt.Fprintf(w, "; at most %d synchronous runs at once, Standard executions not counted)\n", f.maxConcurrent)
	if !isLoopback(addr) {
		fmt.Fprintln(w, "flowtui serve: warning: not a loopback address: anyone who reaches it with the key pair can run flows, and HTTP:Request tasks are performed from this host")
	}
	if generated {
		fmt.Fprintf(w, "flowtui serve: no key pair given (--access-key-id/--access-key-secret, or %s/%s); generated one for this run. Point a client at this server with:\n", envServeKeyID, envServeKeySecret)
		fmt.Fprintf(w, "export ALIBABA_CLOUD_ACCESS_KEY_ID=%s ALIBABA_CLOUD_ACCESS_KEY_SECRET=%s\n", keyID, secret.Reveal())
	} else {
		fmt.Fprintf(w, "flowtui serve: requests must be signed with AccessKey ID %s and its secret\n", sanitize.Line(keyID))
	}
	fmt.Fprintf(w, "flowtui serve: try: flowtui --endpoint %s flows\n", url)
}

// wrap breaks text at spaces into lines of at most width.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		if i > 0 && n+1+len(word) > width {
			b.WriteByte('\n')
			n = 0
		} else if i > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// syncWriter lets the request log and the command's own lines share stderr.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
