// Command flowtui is a terminal UI and command line for Alibaba Cloud CloudFlow
// (Serverless Workflow, API fnf 2019-03-15).
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// stopSignals end a command as Ctrl-C does (exit 130): a local execution
// is stopped and recorded so, a remote one is left running and said.
// SIGHUP (the terminal closed, a session ended) is one of them: uncaught,
// it would kill flowtui with a local run recorded Running forever.
var stopSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), stopSignals...)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

// stdio is where a command reads and writes; tests pass buffers.
type stdio struct {
	in       io.Reader
	out, err io.Writer
}
