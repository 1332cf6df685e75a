package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/safefile"
)

// globals are the flags every subcommand takes.
type globals struct {
	profile   string
	region    string
	endpoint  string
	signature string
	debug     string
	local     bool
	flows     string
	mocks     string
	history   string
	noHistory bool
}

// app is one invocation: its flags, its streams, its clean-ups.
type app struct {
	io      stdio
	g       globals
	closers []func()
	mouse   bool
	log     *slog.Logger // the --debug log, opened once

	quietFallback bool // the TUI says it in its status bar instead of on stderr
	fellBack      bool // no credentials: the local engine was chosen
	fastWait      bool // the local engine runs on a virtual clock (run --fast-wait)

	// testBackend, set by tests, is the backend every command uses instead
	// of the one the flags choose.
	testBackend fnf.Backend
}

func run(ctx context.Context, args []string, std stdio) int {
	return (&app{io: std}).main(ctx, args)
}

// main runs the command line args.
func (a *app) main(ctx context.Context, args []string) int {
	std := a.io
	defer func() {
		for _, c := range a.closers {
			c()
		}
	}()
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetIn(std.in)
	root.SetOut(std.out)
	root.SetErr(std.err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		// Cobra's own errors: unknown command or flag, wrong argument count.
		ee = &exitError{code: exitUsage, err: err, hint: true}
	}
	if ee.err != errPrinted {
		printError(std.err, ee.err)
		if ee.hint {
			fmt.Fprintln(std.err, "Run 'flowtui --help' for usage.")
		}
	}
	return ee.code
}

// errPrinted marks an error the command has already reported (as JSON).
var errPrinted = errors.New("reported")

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "flowtui",
		Short: "A terminal UI and command line for Alibaba Cloud CloudFlow",
		Long: `flowtui lists CloudFlow (Serverless Workflow, fnf 2019-03-15) flows, runs them with
StartSyncExecution and shows the output, timings and errors.

Credentials come from ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET
(with ALIBABA_CLOUD_SECURITY_TOKEN for STS), the aliyun CLI profiles in
~/.aliyun/config.json (--profile, ALIBABA_CLOUD_PROFILE), or ~/.alibabacloud/credentials.
With none, or with --local, flowtui runs flows on its embedded engine: the bundled
demo flows and the flows in --flows DIR.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.tui(cmd)
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.Flags().BoolVar(&a.mouse, "mouse", false, "TUI: enable the mouse (off by default so that text selection works)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return badUsage(err)
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.g.profile, "profile", "", "aliyun CLI profile (default: ALIBABA_CLOUD_PROFILE, else the file's current)")
	pf.StringVar(&a.g.region, "region", "", "region ID (default: ALIBABA_CLOUD_REGION_ID, the profile's region_id, else cn-hangzhou)")
	pf.StringVar(&a.g.endpoint, "endpoint", "", "fnf endpoint URL (default https://<region>.fnf.aliyuncs.com; http allowed, e.g. for flowtui serve)")
	pf.StringVar(&a.g.signature, "signature", client.SignatureV2, "request signature: v2 (HMAC-SHA1, as the fnf SDKs) or v3 (ACS3-HMAC-SHA256)")
	pf.StringVar(&a.g.debug, "debug", "", "append a debug log (calls, statuses, latencies; never secrets) to `FILE`")
	pf.BoolVar(&a.g.local, "local", false, "use the embedded engine instead of the cloud (the default when no credentials are found)")
	pf.StringVar(&a.g.flows, "flows", "", "local flows `DIR` (default $XDG_CONFIG_HOME/flowtui/flows), besides the demo flows; implies --local")
	pf.StringVar(&a.g.mocks, "mocks", "", "mock `FILE` (YAML or JSON) replacing Task results in local runs; implies --local")
	pf.StringVar(&a.g.history, "history", "", "history database `PATH` (default $XDG_STATE_HOME/flowtui/history.db)")
	pf.BoolVar(&a.g.noHistory, "no-history", false, "do not record runs in the history")
	root.AddCommand(a.flowsCommand(), a.describeCommand(), a.runCommand(), a.executionsCommand(), a.historyCommand(), a.testCommand(), a.benchCommand(), a.serveCommand(), a.versionCommand())
	return root
}

// logger opens the --debug log; without it, logs go nowhere.
func (a *app) logger() (*slog.Logger, error) {
	if a.log != nil {
		return a.log, nil
	}
	if a.g.debug == "" {
		a.log = slog.New(slog.DiscardHandler)
		return a.log, nil
	}
	// A pipe or a device would block the open, or swallow the log.
	f, err := safefile.OpenAppend(a.g.debug)
	if err != nil {
		return nil, usageErr("--debug: %v", err)
	}
	a.closers = append(a.closers, func() { f.Close() })
	// An existing log keeps its mode otherwise; it is ours, so tighten it.
	if err := f.Chmod(0o600); err != nil {
		return nil, usageErr("--debug: %v", err)
	}
	a.log = slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return a.log, nil
}

func userAgent() string {
	return fmt.Sprintf("flowtui/%s (%s; %s) %s", version().Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
