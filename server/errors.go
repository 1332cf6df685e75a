package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// CodeFlowAlreadyExists answers a CreateFlow whose name is taken. The client
// package has no constant for it: the TUI and the command line never create flows.
const CodeFlowAlreadyExists = "FlowAlreadyExists"

// CodeServiceUnavailable answers, with HTTP 503, the runs a stopping server
// cancelled at the end of its grace: they ran partway.
const CodeServiceUnavailable = fnf.CodeServiceUnavailable

// CodeNotCarriedOut answers, with HTTP 503, a request that arrived while
// the server was stopping: nothing of it ran, and flowtui's client, seeing
// the code, says so instead of "outcome unknown".
const CodeNotCarriedOut = fnf.CodeNotCarriedOut

// apiError is an answer in the service's error shape, before it is written.
type apiError struct {
	status int
	code   string
	msg    string
}

func (e *apiError) Error() string { return e.code + ": " + e.msg }

func errorf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

// missing names every required parameter (or header) that is absent.
func missing(names ...string) *apiError {
	verb := "is"
	if len(names) > 1 {
		verb = "are"
	}
	return errorf(http.StatusBadRequest, fnf.CodeMissingRequiredParams,
		"%s %s mandatory for this action", strings.Join(names, ", "), verb)
}

func missingHeader(name string) *apiError {
	return errorf(http.StatusBadRequest, fnf.CodeMissingRequiredHeader,
		"header %s is mandatory for an %s signed request", name, v3Algorithm)
}

func invalid(format string, args ...any) *apiError {
	return errorf(http.StatusBadRequest, fnf.CodeInvalidArgument, format, args...)
}

func entityTooLarge() *apiError {
	return errorf(http.StatusBadRequest, fnf.CodeEntityTooLarge,
		"payload size exceeds maximum allowed size (%d bytes): the query string and the body together may hold 1 MiB", MaxRequestBytes)
}

func shuttingDown(code, what string) *apiError {
	return errorf(http.StatusServiceUnavailable, code, "the endpoint is shutting down: %s", what)
}

func flowNotExists(name string) *apiError { return refused(engine.FlowNotExists(name)) }

// refused maps a refusal to the wire: the engine words its own as a
// *fnf.APIError, the server's are already in its shape.
func refused(err error) *apiError {
	var own *apiError
	var ae *fnf.APIError
	switch {
	case errors.As(err, &own):
		return own
	case errors.As(err, &ae):
		status := ae.HTTPStatus
		if status < 400 || status > 599 {
			// Not an error status: the refusal lost it on its way.
			status = http.StatusInternalServerError
		}
		return errorf(status, ae.Code, "%s", ae.Message)
	}
	return invalid("%v", err)
}

// errorBody is the service's error shape, the one every Alibaba Cloud RPC API
// answers with (example in
// https://www.alibabacloud.com/help/en/openapi/user-guide/api-error-diagnosis).
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
}
