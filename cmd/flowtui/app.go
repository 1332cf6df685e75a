package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/client"
)

// globals are the flags every subcommand takes.
type globals struct {
	profile   string
	region    string
	endpoint  string
	signature string
	debug     string
}

// app is one invocation: its flags, its streams, its clean-ups.
type app struct {
	io      stdio
	g       globals
	closers []func()
}

func run(ctx context.Context, args []string, std stdio) int {
	a := &app{io: std}
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
~/.aliyun/config.json (--profile, ALIBABA_CLOUD_PROFILE), or ~/.alibabacloud/credentials.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return badUsage(err)
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.g.profile, "profile", "", "aliyun CLI profile (default: ALIBABA_CLOUD_PROFILE, else the file's current)")
	pf.StringVar(&a.g.region, "region", "", "region ID (default: ALIBABA_CLOUD_REGION_ID, the profile's region_id, else cn-hangzhou)")
	pf.StringVar(&a.g.endpoint, "endpoint", "", "fnf endpoint URL (default https://<region>.fnf.aliyuncs.com; http allowed, e.g. for flowtui serve)")
	pf.StringVar(&a.g.signature, "signature", client.SignatureV2, "request signature: v2 (HMAC-SHA1, as the fnf SDKs) or v3 (ACS3-HMAC-SHA256)")
	pf.StringVar(&a.g.debug, "debug", "", "append a debug log (calls, statuses, latencies; never secrets) to `FILE`")
	root.AddCommand(a.flowsCommand(), a.describeCommand(), a.runCommand(), a.versionCommand())
	return root
}

// backend resolves credentials and region and returns the cloud backend.
func (a *app) backend(timeout time.Duration) (client.Backend, error) {
	if a.g.signature != client.SignatureV2 && a.g.signature != client.SignatureV3 {
		return nil, usageErr("--signature %q: use v2 or v3", a.g.signature)
	}
	if a.g.region != "" {
		if err := client.ValidateRegion(a.g.region); err != nil {
			return nil, usageErr("--region: %v", err)
		}
	}
	if a.g.endpoint != "" {
		if _, err := client.ParseEndpoint(a.g.endpoint); err != nil {
			return nil, usageErr("--endpoint: %v", err)
		}
	}
	logger, err := a.logger()
	if err != nil {
		return nil, err
	}
	res, err := client.ResolveCredentials(client.ResolveOptions{Profile: a.g.profile, Region: a.g.region})
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	logger.Debug("credentials", "source", res.Source, "mode", res.Mode, "region", res.Region)
	return client.NewCloud(client.Config{
		Endpoint: a.g.endpoint, Region: res.Region, Credentials: res.Provider, Profile: res.Profile,
		Signature: a.g.signature, Timeout: timeout, Logger: logger, UserAgent: userAgent(),
	})
}

// logger opens the --debug log; without it, logs go nowhere.
func (a *app) logger() (*slog.Logger, error) {
	if a.g.debug == "" {
		return slog.New(slog.DiscardHandler), nil
	}
	f, err := os.OpenFile(a.g.debug, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, usageErr("--debug: %v", err)
	}
	a.closers = append(a.closers, func() { f.Close() })
	// An existing log keeps its mode otherwise; it is ours, so tighten it.
	if err := f.Chmod(0o600); err != nil {
		return nil, usageErr("--debug: %v", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelDebug})), nil
}

func userAgent() string {
	return fmt.Sprintf("flowtui/%s (%s; %s) %s", version().Version, runtime.GOOS, runtime.GOARCH, runtime.Version())
}
