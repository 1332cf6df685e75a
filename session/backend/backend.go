// Package backend chooses what flowtui talks to, once for the command line
// and the TUI: the embedded engine, the cloud, or an endpoint such as a
// `flowtui serve`, the fallback to the engine when no credentials are found,
// and the switch the TUI's picker makes at runtime. It is wiring: it alone,
// with cmd/flowtui, imports the cloud client and its credentials.
package backend

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// Flags are the command-line choices of a backend.
type Flags struct {
	Profile, Region, Endpoint string
	Signature                 string // client.SignatureV2 or V3
	Local                     bool
	Flows, Mocks              string // a flows directory, a mock file: the engine
}

// Options are what a backend is built with besides the flags.
type Options struct {
	Timeout time.Duration // a run's limit; 0 the default
	// Logger opens the debug log; it is asked for once the flags are known
	// good, so that a bad flag is said before a bad --debug.
	Logger    func() (*slog.Logger, error)
	UserAgent string
	// FastWait runs the local engine on a virtual clock
	// (engine.LocalOptions.FastWait); the cloud's waits are its own.
	FastWait bool
}

// UsageError is a flag or a set-up that does not work: fixed by the user
// before anything runs (exit 2 on the command line).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usage(format string, a ...any) error {
	return &UsageError{Err: fmt.Errorf(format, a...)}
}

// Chosen is the backend built, and whether it is the engine for want of
// credentials.
type Chosen struct {
	fnf.Backend
	FellBack bool
}

// FallbackNotice says why the local engine was chosen.
const FallbackNotice = "no Alibaba Cloud credentials found; using the local engine with the demo flows (--local says so explicitly; `flowtui version` shows where credentials are looked for)"

// Resolve chooses what a command talks to (README "Credentials"): the
// embedded engine with --local, --flows or --mocks, or when no credentials
// are found and neither --endpoint nor --profile was given; else the cloud,
// or the endpoint given.
func Resolve(f Flags, o Options) (Chosen, error) {
	if f.Signature != client.SignatureV2 && f.Signature != client.SignatureV3 {
		return Chosen{}, usage("--signature %q: use v2 or v3", f.Signature)
	}
	if f.Region != "" {
		if err := client.ValidateRegion(f.Region); err != nil {
			return Chosen{}, usage("--region: %v", err)
		}
	}
	wantLocal := f.Local || f.Flows != "" || f.Mocks != ""
	if f.Endpoint != "" {
		if _, err := client.ParseEndpoint(f.Endpoint); err != nil {
			return Chosen{}, usage("--endpoint: %v", err)
		}
		if wantLocal {
			return Chosen{}, usage("--local, --flows and --mocks choose the embedded engine; they do not go with --endpoint (flowtui serve takes --flows and --mocks itself)")
		}
	}
	logger := slog.New(slog.DiscardHandler)
	if o.Logger != nil {
		var err error
		if logger, err = o.Logger(); err != nil {
			return Chosen{}, err
		}
	}
	if wantLocal {
		b, err := Local(f, o)
		return Chosen{Backend: b}, err
	}
	res, err := client.ResolveCredentials(client.ResolveOptions{Profile: f.Profile, Region: f.Region})
	if errors.Is(err, client.ErrNoCredentials) && f.Endpoint == "" && f.Profile == "" {
		b, err := Local(f, o)
		return Chosen{Backend: b, FellBack: true}, err
	}
	if err != nil {
		return Chosen{}, &UsageError{Err: err}
	}
	logger.Debug("credentials", "source", res.Source, "mode", res.Mode, "region", res.Region)
	b, err := client.NewCloud(client.Config{
		Endpoint: f.Endpoint, Region: res.Region, Credentials: res.Provider, Profile: res.Profile,
		Signature: f.Signature, Timeout: o.Timeout, Logger: logger, UserAgent: o.UserAgent,
	})
	if err != nil {
		return Chosen{}, err
	}
	return Chosen{Backend: b}, nil
}

// Local is the embedded engine over the demo flows and the flows
// directory, with the mock file if one is given.
func Local(f Flags, o Options) (fnf.Backend, error) {
	opts, err := LocalOptions(f)
	if err != nil {
		return nil, err
	}
	opts.Limit, opts.FastWait = o.Timeout, o.FastWait
	return engine.NewLocal(opts)
}

// LocalOptions are the engine's options the flags give: the demo flows,
// the flows directory (which must exist if --flows named it) and the mocks.
func LocalOptions(f Flags) (engine.LocalOptions, error) {
	opts := engine.LocalOptions{Demos: true, FlowsDir: FlowsDir(f), FlowsDirMust: f.Flows != ""}
	if f.Mocks != "" {
		m, err := engine.LoadMocks(f.Mocks)
		if err != nil {
			return opts, usage("--mocks: %s", sanitize.Text(err.Error()))
		}
		opts.Mocks = m
	}
	if opts.FlowsDirMust {
		if fi, err := os.Stat(opts.FlowsDir); err != nil || !fi.IsDir() {
			return opts, usage("--flows %s: not a directory", opts.FlowsDir)
		}
	}
	return opts, nil
}

// FlowsDir is --flows, else the default directory.
func FlowsDir(f Flags) string {
	if f.Flows != "" {
		return f.Flows
	}
	return DefaultFlowsDir()
}

// DefaultFlowsDir is $XDG_CONFIG_HOME/flowtui/flows, else ~/.config/flowtui/flows.
func DefaultFlowsDir() string {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "flowtui", "flows")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "flowtui", "flows")
}
