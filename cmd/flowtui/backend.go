package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/backend"
)

// backend chooses what the command talks to (session/backend Resolve; the
// backends in docs/ARCHITECTURE.md "The path of one run"), and says on
// stderr when it fell back to the engine for want of credentials.
func (a *app) backend(timeout time.Duration) (fnf.Backend, error) {
	if a.testBackend != nil {
		return a.testBackend, nil
	}
	b, err := backend.Resolve(a.flags(), a.backendOptions(timeout))
	if err != nil {
		return nil, usageOf(err)
	}
	if b.FellBack {
		a.fellBack = true
		if !a.quietFallback {
			fmt.Fprintln(a.io.err, "flowtui: "+backend.FallbackNotice)
		}
	}
	return b.Backend, nil
}

// flags are the backend's part of the global flags.
func (a *app) flags() backend.Flags {
	return backend.Flags{Profile: a.g.profile, Region: a.g.region, Endpoint: a.g.endpoint,
		Signature: a.g.signature, Local: a.g.local, Flows: a.g.flows, Mocks: a.g.mocks}
}

func (a *app) backendOptions(timeout time.Duration) backend.Options {
	return backend.Options{Timeout: timeout, Logger: a.logger, UserAgent: userAgent(), FastWait: a.fastWait}
}

// usageOf gives a bad flag or set-up its exit code (2).
func usageOf(err error) error {
	var ue *backend.UsageError
	if errors.As(err, &ue) {
		return &exitError{code: exitUsage, err: ue.Err}
	}
	return err
}

// flowsDir is --flows, else the default directory.
func (a *app) flowsDir() string { return backend.FlowsDir(a.flags()) }
