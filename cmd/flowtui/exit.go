package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/flowtui/flowtui/client"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// Exit codes (README "Exit codes").
const (
	exitOK          = 0
	exitRunFailed   = 1 // the execution ended Failed, TimedOut or Stopped
	exitUsage       = 2 // bad usage, bad input or a local set-up problem; nothing was sent
	exitAPI         = 3 // an API or transport error
	exitNotFound    = 4 // no run with that ID in the history
	exitHistory     = 5 // the history could not be opened, read or written
	exitInterrupted = 130
)

// exitError carries the exit code of a failed command.
type exitError struct {
	code int
	err  error
	hint bool // point at --help: the command line itself was wrong
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageErr is bad input: a value that cannot be sent.
func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// isUsage reports whether err is bad usage or a local set-up problem (exit 2).
func isUsage(err error) bool {
	var ee *exitError
	return errors.As(err, &ee) && ee.code == exitUsage
}

// badUsage is a command line that does not parse.
func badUsage(err error) error {
	return &exitError{code: exitUsage, err: err, hint: true}
}

// classify gives a backend error its exit code.
func classify(ctx context.Context, err error) *exitError {
	var ee *exitError
	if errors.As(err, &ee) {
		return ee
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) {
		return &exitError{code: exitInterrupted, err: err}
	}
	if errors.Is(err, client.ErrNoCredentials) || fnf.IsSetupError(err) {
		return &exitError{code: exitUsage, err: err}
	}
	// An API or transport error, or another failure of the exchange.
	return &exitError{code: exitAPI, err: err}
}

// errorJSON is the --json shape of an error.
type errorJSON struct {
	Error struct {
		Code       string
		Message    string
		RequestId  string
		HttpStatus int
	}
}

// Codes of errors that are flowtui's own, not the service's (README "Exit codes").
const (
	codeInterrupted     = "Interrupted"
	codeRunNotFound     = "flowtui.RunNotFound"
	codeHistoryUnusable = "flowtui.HistoryUnusable"
)

// toErrorJSON gives ee its --json form: the service's code for an API
// error, else a code of flowtui's naming what went wrong.
func toErrorJSON(ee *exitError) errorJSON {
	switch ee.code {
	case exitInterrupted:
		// The interrupt's own message does not wrap context.Canceled, and a
		// signal's cancel cause is not context.Canceled either.
		return localErrorJSON(codeInterrupted, ee.err)
	case exitNotFound:
		return localErrorJSON(codeRunNotFound, ee.err)
	case exitHistory:
		return localErrorJSON(codeHistoryUnusable, ee.err)
	}
	return apiErrorJSON(ee.err)
}

func localErrorJSON(code string, err error) errorJSON {
	var j errorJSON
	j.Error.Code, j.Error.Message = code, err.Error()
	return j
}

func apiErrorJSON(err error) errorJSON {
	var j errorJSON
	j.Error.Message = err.Error()
	j.Error.HttpStatus = fnf.HTTPStatusOf(err)
	var ae *fnf.APIError
	var uo *fnf.UnknownOutcomeError
	var te *fnf.TransportError
	switch {
	case errors.As(err, &ae):
		j.Error.Code, j.Error.Message, j.Error.RequestId = ae.Code, ae.Message, ae.RequestID
	case errors.As(err, &uo):
		j.Error.Code = "OutcomeUnknown"
	case errors.Is(err, client.ErrNoCredentials):
		j.Error.Code = "NoCredentials"
	case fnf.IsSetupError(err):
		j.Error.Code = "InvalidConfiguration"
	case errors.As(err, &te):
		j.Error.Code = "TransportError"
	default:
		j.Error.Code = "Error"
	}
	return j
}

// printError writes err for a person: the message, and for API errors what it
// means and what to do. Every line is sanitised: messages come from the network.
func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "flowtui: %s\n", sanitize.Text(err.Error()))
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		ex := ae.Explain()
		var uo *fnf.UnknownOutcomeError
		if errors.As(err, &uo) {
			// The service error's own advice (run again) could run the flow twice.
			ex.Fix = "It may have run: check its effects before running it again."
			if uo.Check != "" {
				ex.Fix = "It may be running: learn whether it started (the command above) before running it again."
			}
		}
		fmt.Fprintf(w, "  what it means: %s\n  what to do:    %s\n", sanitize.Text(ex.Meaning), sanitize.Text(ex.Fix))
		if ae.Recommend != "" {
			fmt.Fprintf(w, "  more:          %s\n", sanitize.Line(ae.Recommend))
		}
	}
}
