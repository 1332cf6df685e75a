package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/sanitize"
)

// backend chooses what the command talks to (README "Credentials"; the
// backends in docs/ARCHITECTURE.md "The path of one run"): the embedded engine
// with --local, --flows or --mocks, or when no credentials are found; else the
// cloud, or the endpoint given.
func (a *app) backend(timeout time.Duration) (fnf.Backend, error) {
	if a.g.signature != client.SignatureV2 && a.g.signature != client.SignatureV3 {
		return nil, usageErr("--signature %q: use v2 or v3", a.g.signature)
	}
	if a.g.region != "" {
		if err := client.ValidateRegion(a.g.region); err != nil {
			return nil, usageErr("--region: %v", err)
		}
	}
	wantLocal := a.g.local || a.g.flows != "" || a.g.mocks != ""
	if a.g.endpoint != "" {
		if _, err := client.ParseEndpoint(a.g.endpoint); err != nil {
			return nil, usageErr("--endpoint: %v", err)
		}
		if wantLocal {
			return nil, usageErr("--local, --flows and --mocks choose the embedded engine; they do not go with --endpoint (flowtui serve takes --flows and --mocks itself)")
		}
	}
	logger, err := a.logger()
	if err != nil {
		return nil, err
	}
	if wantLocal {
		return a.localBackend(timeout)
	}
	res, err := client.ResolveCredentials(client.ResolveOptions{Profile: a.g.profile, Region: a.g.region})
	if errors.Is(err, client.ErrNoCredentials) && a.g.endpoint == "" && a.g.profile == "" {
		a.fellBack = true
		if !a.quietFallback {
			fmt.Fprintln(a.io.err, "flowtui: "+fallbackNotice)
		}
		return a.localBackend(timeout)
	}
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	logger.Debug("credentials", "source", res.Source, "mode", res.Mode, "region", res.Region)
	return client.NewCloud(client.Config{
		Endpoint: a.g.endpoint, Region: res.Region, Credentials: res.Provider, Profile: res.Profile,
		Signature: a.g.signature, Timeout: timeout, Logger: logger, UserAgent: userAgent(),
	})
}

// fallbackNotice says why the local engine was chosen.
const fallbackNotice = "no Alibaba Cloud credentials found; using the local engine with the demo flows (--local says so explicitly; `flowtui version` shows where credentials are looked for)"

// localBackend is the embedded engine over the demo flows and the flows
// directory, with the mock file if one is given.
func (a *app) localBackend(timeout time.Duration) (fnf.Backend, error) {
	opts := engine.LocalOptions{Demos: true, FlowsDir: a.flowsDir(), FlowsDirMust: a.g.flows != "", Limit: timeout}
	if a.g.mocks != "" {
		m, err := engine.LoadMocks(a.g.mocks)
		if err != nil {
			return nil, usageErr("--mocks: %s", sanitize.Text(err.Error()))
		}
		opts.Mocks = m
	}
	if opts.FlowsDirMust {
		if fi, err := os.Stat(opts.FlowsDir); err != nil || !fi.IsDir() {
			return nil, usageErr("--flows %s: not a directory", opts.FlowsDir)
		}
	}
	return engine.NewLocal(opts)
}

// flowsDir is --flows, else the default directory.
func (a *app) flowsDir() string {
	if a.g.flows != "" {
		return a.g.flows
	}
	return defaultFlowsDir()
}

// defaultFlowsDir is $XDG_CONFIG_HOME/flowtui/flows, else ~/.config/flowtui/flows.
func defaultFlowsDir() string {
	if dir := os.Getenv("XDG_CONFIG_HOME"); dir != "" {
		return filepath.Join(dir, "flowtui", "flows")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".config", "flowtui", "flows")
}
