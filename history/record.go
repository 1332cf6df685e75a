package history

import (
	"errors"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// FromSync is the history row of one StartSyncExecution call, whatever its
// outcome: an execution, an API or transport error (fnf.StatusError, with the
// error that stopped it), or a wait the user cancelled (fnf.StatusCancelled;
// FromStopped adds what is known of its times). Only what was sent and what
// came back is kept: never a credential.
func FromSync(info fnf.Info, req fnf.SyncRequest, res *fnf.SyncResult, err error, start time.Time, cancelled bool) Run {
	r := Run{
		FlowName: req.FlowName, RequestedName: req.ExecutionName, Backend: info.Kind,
		Endpoint: info.Endpoint, Region: info.Region, Profile: info.Profile, TestCase: req.TestCase,
		ClientStart: start, Input: req.Input, InputBytes: len(req.Input),
	}
	if res != nil {
		r.Name, r.Status, r.ErrorCode, r.ErrorMessage = res.Name, res.Status, res.ErrorCode, res.ErrorMessage
		r.RequestID, r.HTTPStatus, r.Latency = res.RequestId, res.HTTPStatus, res.Latency
		r.Output, r.OutputBytes = res.Output, len(res.Output)
		r.StartedTime, _ = fnf.ParseTime(res.StartedTime)
		r.StoppedTime, _ = fnf.ParseTime(res.StoppedTime)
		if len(res.Trace) > 0 {
			// Encoded within the largest per-run budget, so that a long trace
			// costs no more than what a store may keep of it.
			r.Trace = encodeTrace(res.Trace, DefaultMaxRunBytes)
		}
	}
	r.setErr(err, cancelled)
	return r
}

// setErr records err, the error of a call that produced no execution: the
// service's code and request id when it answered, Cancelled when the user
// stopped the call.
func (r *Run) setErr(err error, cancelled bool) {
	if err == nil {
		return
	}
	r.Status, r.ErrorMessage = fnf.StatusError, err.Error()
	if r.HTTPStatus == 0 {
		r.HTTPStatus = fnf.HTTPStatusOf(err)
	}
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		r.ErrorCode, r.RequestID, r.ErrorMessage = ae.Code, ae.RequestID, ae.Message
	}
	if cancelled {
		r.Status = fnf.StatusCancelled
	}
}

// FromStopped is FromSync for a call the user stopped at at, before it
// returned: the round trip is the wait up to the stop (unless the client
// measured it), the message says what the stop did on that backend, and a
// local run, which the stop ended, ran on the engine from start to at. A
// cloud execution's own times stay unknown: it goes on server-side, so no
// duration is made up for it.
func FromStopped(info fnf.Info, req fnf.SyncRequest, res *fnf.SyncResult, err error, start, at time.Time) Run {
	r := FromSync(info, req, res, err, start, true)
	if res == nil || res.Latency == 0 {
		r.Latency = at.Sub(start)
	}
	if res == nil || res.Status == "" {
		// No execution came back (the cloud client returns what it measured
		// with its error): the row says what the stop did, not the error of
		// the abandoned call.
		r.ErrorMessage = fnf.Stopped(info.Kind).Notice
	}
	if info.Kind == fnf.KindLocal && r.StartedTime.IsZero() && r.StoppedTime.IsZero() {
		r.StartedTime, r.StoppedTime = start, at
	}
	return r
}

// CallErr is the error of a call that produced no execution (StatusError),
// as FromSync recorded it: an *fnf.APIError when the service answered with
// an error code, so that it can be explained again; nil for any other status.
func (r Run) CallErr() error {
	if r.Status != fnf.StatusError {
		return nil
	}
	if r.HTTPStatus >= 400 && r.ErrorCode != "" {
		action := "StartSyncExecution"
		if r.Mode == fnf.ModeStandard {
			action = "StartExecution"
		}
		return &fnf.APIError{HTTPStatus: r.HTTPStatus, Code: r.ErrorCode, Message: r.ErrorMessage,
			RequestID: r.RequestID, Action: action, FlowName: r.FlowName, Region: r.Region}
	}
	return errors.New(r.ErrorMessage)
}
