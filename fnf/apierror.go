package fnf

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Error codes of the fnf API (StartSyncExecution's table, plus the gateway's).
const (
	CodeEntityTooLarge         = "EntityTooLarge"
	CodeExecutionAlreadyExists = "ExecutionAlreadyExists"
	CodeInvalidArgument        = "InvalidArgument"
	CodeMissingRequiredHeader  = "MissingRequiredHeader"
	CodeMissingRequiredParams  = "MissingRequiredParams"
	CodeActionNotSupported     = "ActionNotSupported"
	CodeAPIVersionNotSupported = "APIVersionNotSupported"
	CodeInvalidAccessKeyID     = "InvalidAccessKeyID"
	CodeRequestTimeTooSkewed   = "RequestTimeTooSkewed"
	CodeSignatureNotMatch      = "SignatureNotMatch"
	CodeAccessDenied           = "AccessDenied"
	CodeFlowNotExists          = "FlowNotExists"
	CodeExecutionNotExists     = "ExecutionNotExists"
	CodeTaskTokenNotExists     = "TaskTokenNotExists"
	CodeUnsupportedMediaType   = "UnsupportedMediaType"
	CodeResourceThrottled      = "ResourceThrottled"
	CodeInternalServerError    = "InternalServerError"
	CodeSignatureNonceUsed     = "SignatureNonceUsed"
	CodeServiceUnavailable     = "ServiceUnavailable"
	// CodeNotCarriedOut is flowtui serve's own answer (HTTP 503) to a
	// request that arrived while it was stopping: refused before anything
	// ran. The public service has no such code; it is believed only from an
	// --endpoint (see NotCarriedOut).
	CodeNotCarriedOut = "ServiceUnavailable.NotCarriedOut"
)

// Sentinels for errors.Is: errors.Is(err, fnf.ErrFlowNotExists) holds for any
// *APIError carrying that code.
var (
	ErrEntityTooLarge         = &APIError{Code: CodeEntityTooLarge}
	ErrExecutionAlreadyExists = &APIError{Code: CodeExecutionAlreadyExists}
	ErrInvalidArgument        = &APIError{Code: CodeInvalidArgument}
	ErrMissingRequiredHeader  = &APIError{Code: CodeMissingRequiredHeader}
	ErrMissingRequiredParams  = &APIError{Code: CodeMissingRequiredParams}
	ErrActionNotSupported     = &APIError{Code: CodeActionNotSupported}
	ErrAPIVersionNotSupported = &APIError{Code: CodeAPIVersionNotSupported}
	ErrInvalidAccessKeyID     = &APIError{Code: CodeInvalidAccessKeyID}
	ErrRequestTimeTooSkewed   = &APIError{Code: CodeRequestTimeTooSkewed}
	ErrSignatureNotMatch      = &APIError{Code: CodeSignatureNotMatch}
	ErrAccessDenied           = &APIError{Code: CodeAccessDenied}
	ErrFlowNotExists          = &APIError{Code: CodeFlowNotExists}
	ErrExecutionNotExists     = &APIError{Code: CodeExecutionNotExists}
	ErrTaskTokenNotExists     = &APIError{Code: CodeTaskTokenNotExists}
	ErrUnsupportedMediaType   = &APIError{Code: CodeUnsupportedMediaType}
	ErrResourceThrottled      = &APIError{Code: CodeResourceThrottled}
	ErrInternalServerError    = &APIError{Code: CodeInternalServerError}
)

// APIError is an error answer of the fnf API: an HTTP status of 400 or more with
// the service's JSON error body.
type APIError struct {
	HTTPStatus         int
	Code               string
	Message            string
	RequestID          string
	HostID             string
	Recommend          string          // troubleshooting link, on newer gateways
	AccessDeniedDetail json.RawMessage // 403s may carry it

	// What the call was about, so that explanations can name it.
	Action   string // e.g. "StartSyncExecution"
	FlowName string
	Region   string
	Endpoint string // set when the call went to an --endpoint, not the region's
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Action != "" {
		b.WriteString(e.Action)
		b.WriteString(": ")
	}
	b.WriteString(e.Code)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	fmt.Fprintf(&b, " (HTTP %d", e.HTTPStatus)
	if e.RequestID != "" {
		b.WriteString(", request ")
		b.WriteString(e.RequestID)
	}
	b.WriteByte(')')
	return b.String()
}

// Is matches a sentinel (an *APIError with only Code set) by code.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	return ok && t.HTTPStatus == 0 && t.RequestID == "" && t.Code == e.Code
}

// NotCarriedOut reports whether the endpoint said it refused the call
// before running anything: flowtui serve's CodeNotCarriedOut, believed only
// from an --endpoint, since the public service never sends it and its 5xx
// on StartSyncExecution leaves the outcome unknown.
func (e *APIError) NotCarriedOut() bool {
	return e.Code == CodeNotCarriedOut && e.Endpoint != ""
}

// Throttled reports whether the service refused the call for rate or
// concurrency: nothing ran, so any call may be retried.
func (e *APIError) Throttled() bool {
	return e.HTTPStatus == http.StatusTooManyRequests || e.Code == CodeResourceThrottled ||
		strings.HasPrefix(e.Code, "Throttling")
}

// Explanation is an error in plain language: what it means and what to do.
type Explanation struct {
	Meaning string
	Fix     string
}

// Explain says what the error means and what to do about it.
func (e *APIError) Explain() Explanation {
	action := e.Action
	if action == "" {
		action = "<Action>"
	}
	flow := "the flow"
	if e.FlowName != "" {
		flow = fmt.Sprintf("flow %q", e.FlowName)
	}
	region := e.Region
	if region == "" {
		region = "the selected region"
	}
	switch e.Code {
	case CodeEntityTooLarge:
		return Explanation{"The request is larger than the service accepts: 1 MiB for the whole request body, that is the input as form-encoded (where quotes, braces and non-ASCII bytes take three bytes each) plus the other parameters.",
			"Send a smaller input, well under 1 MiB once encoded; pass large data by reference (an OSS object key, a URL) instead."}
	case CodeExecutionAlreadyExists:
		return Explanation{"An execution with this name has already finished.",
			"Choose another execution name (--name), or leave it out and the service generates one."}
	case CodeInvalidArgument:
		switch {
		case strings.Contains(e.Message, "test case"):
			return Explanation{"The mock test case chosen is not defined for this flow.",
				"Choose one of the test cases the message names (--test-case, or the TUI's test-case picker), or add it to the mock file."}
		case strings.Contains(e.Message, "definition has problems"):
			return Explanation{"The flow's definition does not load, so it cannot run.",
				"Fix the definition at the places the message lists; `flowtui describe FLOW` shows them too."}
		}
		return Explanation{"The service rejected a parameter of the call.",
			"Read the message above for the parameter. Names are 1–128 letters, digits, _ or -, starting with a letter or _; the input must be a JSON object."}
	case CodeMissingRequiredHeader, CodeMissingRequiredParams:
		return Explanation{"The request lacked something the service requires.",
			"This points at the client or a proxy in between: run again with --debug FILE and report the log (it holds no secrets)."}
	case CodeActionNotSupported:
		if e.Action == "StartSyncExecution" {
			return Explanation{fmt.Sprintf("Synchronous runs need an Express flow; %s is a Standard flow.", flow),
				"Start it with StartExecution: `flowtui run FLOW` does so for a Standard flow and follows it to its end (`flowtui run FLOW --no-wait` leaves it running)."}
		}
		if e.Action == "StartExecution" {
			return Explanation{fmt.Sprintf("StartExecution starts Standard flows; %s is an Express flow.", flow),
				"Run Express flows synchronously (StartSyncExecution): `flowtui run FLOW` does so for an Express flow."}
		}
		return Explanation{fmt.Sprintf("The endpoint does not support the action %s.", action),
			"Check that --endpoint points at a CloudFlow (fnf) endpoint."}
	case CodeAPIVersionNotSupported:
		return Explanation{"The endpoint does not speak the fnf API version 2019-03-15.",
			"Check that --endpoint points at a CloudFlow (fnf) endpoint."}
	case CodeInvalidAccessKeyID:
		return Explanation{"The service does not know this AccessKey ID: it was deleted or disabled, or it belongs to another site (China or International).",
			"Check the credentials in use (`flowtui version` shows their source; `aliyun configure list` the profiles) and the AccessKey in the RAM console."}
	case CodeRequestTimeTooSkewed:
		return Explanation{"This machine's clock is more than 15 minutes off the service's, so the signed timestamp was refused.",
			"Check the clock: synchronise it with NTP (for example `timedatectl set-ntp true`) and run again."}
	case CodeSignatureNotMatch:
		return Explanation{"The service computed a different request signature: usually the AccessKey secret does not belong to the AccessKey ID.",
			"Check the AccessKey secret of the credentials in use. If it is right, try the other scheme (--signature v3 or v2) and report it with a --debug log."}
	case CodeAccessDenied:
		return Explanation{fmt.Sprintf("The RAM identity may not call fnf:%s on acs:fnf:%s:*:flow/%s.", action, region, cmp.Or(e.FlowName, "*")),
			fmt.Sprintf("Grant fnf:%s on that resource in a RAM policy (AliyunFnFFullAccess, or a custom policy), or use a profile that has it.", action)}
	case CodeFlowNotExists:
		if e.Endpoint != "" {
			return Explanation{fmt.Sprintf("There is no %s at %s.", flow, e.Endpoint),
				"Check the name with `flowtui flows` (with the same --endpoint)."}
		}
		return Explanation{fmt.Sprintf("There is no %s in region %s.", flow, region),
			"Check the name with `flowtui flows`, and the region: --region, ALIBABA_CLOUD_REGION_ID or the profile's region_id."}
	case CodeExecutionNotExists:
		return Explanation{fmt.Sprintf("There is no execution of that name in %s (names are exact; a StartSyncExecution's name ends in :UUID).", flow),
			"List its executions with `flowtui executions list FLOW` (with the same backend flags) and copy the name."}
	case CodeTaskTokenNotExists:
		return Explanation{"No task is waiting on this token: the task already got its answer, its execution ended, or the token was mistyped.",
			"Take the token from the TaskSubmitted event (`flowtui executions events FLOW NAME`) of an execution that is still running."}
	case CodeUnsupportedMediaType:
		return Explanation{"The endpoint refused the request's content type.",
			"A proxy or an endpoint that is not fnf-compatible is in the way; check --endpoint."}
	case CodeResourceThrottled:
		return Explanation{"Too many requests or running executions for the account (10,000 at most); the execution did not start.",
			"Wait a moment and run again; flowtui already retried with backoff. Ask for a higher quota if it persists."}
	case CodeSignatureNonceUsed:
		return Explanation{"The service saw this request's nonce before, as if the request were replayed.",
			"Run again: every attempt carries a fresh nonce. If it persists, report it with a --debug log."}
	case CodeNotCarriedOut:
		if e.NotCarriedOut() {
			meaning := fmt.Sprintf("The endpoint %s (flowtui serve) was stopping and refused the call before carrying it out.", e.Endpoint)
			if e.Action == "StartSyncExecution" {
				meaning += fmt.Sprintf(" Nothing of %s ran.", flow)
			}
			return Explanation{meaning, "Send it again once the server is back (start flowtui serve again)."}
		}
	case CodeServiceUnavailable:
		if e.Endpoint != "" && e.Action == "StartSyncExecution" {
			return Explanation{fmt.Sprintf("The endpoint %s is unavailable. flowtui serve answers so when it stops and cancels the runs still going at the end of its shutdown grace: some states of %s may have run.", e.Endpoint, flow),
				"Check the flow's side effects before running again, once the server is back."}
		}
	case CodeInternalServerError:
		if e.Action == "StartSyncExecution" {
			return Explanation{"The service failed while running the call; whether the execution ran is unknown.",
				"It was not retried, so that the flow does not run twice. Check the flow's side effects before running again."}
		}
		if e.Action == "StartExecution" {
			return Explanation{"The service failed while starting the execution; whether it started is unknown.",
				"It was not retried, so that the flow does not run twice. See whether it started with `flowtui executions list FLOW`; an execution name (--name) lets flowtui find out by itself."}
		}
		return Explanation{"The service failed, and retries did not help.",
			"Wait a moment and run again; if it persists, quote the request id to Alibaba Cloud support."}
	}
	switch {
	case e.Throttled():
		return Explanation{"The service is rate limiting the calls.", "Wait a moment and run again."}
	case e.HTTPStatus >= 500:
		return Explanation{"The service failed.", "Wait a moment and run again; quote the request id to support if it persists."}
	case e.HTTPStatus == http.StatusForbidden:
		return Explanation{"The service refused the credentials or the permission.", "Check the credentials in use and their RAM policies."}
	}
	return Explanation{"The service rejected the call.", "Read the message above; the Recommend link, when present, has details."}
}
