package fnf

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// TransportError is a call that got no usable answer: the connection failed, the
// call timed out, or the answer was not the service's JSON (an HTML 502 from a
// proxy, a truncated body).
type TransportError struct {
	Action      string
	URL         string // endpoint, without query or credentials
	HTTPStatus  int    // 0 when no response arrived
	ContentType string
	Snippet     string // the start of an unexpected body
	Err         error
}

func (e *TransportError) Error() string {
	var b strings.Builder
	b.WriteString(e.Action)
	b.WriteString(": ")
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, "HTTP %d %s from %s", e.HTTPStatus, http.StatusText(e.HTTPStatus), e.URL)
		if e.Err != nil {
			b.WriteString(": ")
			b.WriteString(e.Err.Error())
		}
		if e.ContentType != "" {
			fmt.Fprintf(&b, " (%s)", e.ContentType)
		}
		if e.Snippet != "" {
			fmt.Fprintf(&b, ": %q", e.Snippet)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "no answer from %s: %v", e.URL, e.Err)
	return b.String()
}

func (e *TransportError) Unwrap() error { return e.Err }

// UnknownOutcomeError wraps a failed StartSyncExecution whose execution may have
// run: a 5xx, a timeout or a dropped connection after the request was sent. It is
// never retried, so that a flow does not run twice.
type UnknownOutcomeError struct {
	FlowName      string
	ExecutionName string
	Err           error
	// Check, when set, is the command that tells whether it started.
	Check string
}

func (e *UnknownOutcomeError) Error() string {
	msg := fmt.Sprintf("run %q: outcome unknown: %v. The execution may have run server-side; it was not retried", e.FlowName, e.Err)
	if e.ExecutionName != "" {
		msg += fmt.Sprintf(" (the service names it %q followed by \":<UUID>\")", e.ExecutionName)
	}
	if e.Check != "" {
		msg += "; to learn whether it started: " + e.Check
	}
	return msg
}

func (e *UnknownOutcomeError) Unwrap() error { return e.Err }

// HTTPStatusOf returns the HTTP status an error carries, or 0.
func HTTPStatusOf(err error) int {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus
	}
	var te *TransportError
	if errors.As(err, &te) {
		return te.HTTPStatus
	}
	return 0
}
