package result

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

// errorPage explains why a run failed: the service's error with what it means
// and what to do, or the flow's own error, or that there was none.
func errorPage(st *theme.Styles, v msgs.RunView) pager {
	var lines []string
	row := func(label, value string) {
		if value != "" {
			lines = append(lines, st.Muted.Render(fmt.Sprintf("%-11s", label))+" "+st.Text.Render(sanitize.Text(value)))
		}
	}
	explain := func(intro, meaning, fix, more string) {
		if intro != "" {
			lines = append(lines, "", st.Warning.Render(intro))
		}
		lines = append(lines, "", st.Bold.Render("What it means"), st.Text.Render(sanitize.Text(meaning)),
			"", st.Bold.Render("What to do"), st.Text.Render(sanitize.Text(fix)))
		if more != "" {
			lines = append(lines, "", st.Muted.Render("More: ")+st.Accent.Render(sanitize.Line(more)))
		}
	}
	var apiErr *fnf.APIError
	switch {
	case errors.As(v.Err, &apiErr):
		lines = append(lines, st.Failure.Render(sanitize.Line(apiErr.Code))+st.Muted.Render(" · the service refused the call"))
		row("message", apiErr.Message)
		row("request id", apiErr.RequestID)
		row("HTTP status", httpStatus(apiErr.HTTPStatus))
		row("call", strings.Join(nonEmpty(apiErr.Action, prefixed("flow ", apiErr.FlowName), prefixed("region ", apiErr.Region)), " · "))
		e := apiErr.Explain()
		explain("", e.Meaning, e.Fix, apiErr.Recommend)
	case v.Err != nil:
		lines = append(lines, st.Failure.Render("the call failed")+st.Muted.Render(" · no answer from the service"))
		row("error", v.Err.Error())
		meaning := "The call did not complete: no answer came back (network, DNS, proxy, TLS), or the answer could not be read."
		fix := "Check the network and the endpoint (--endpoint, the region), then run again; --debug FILE logs the exchange."
		if errors.Is(v.Err, context.DeadlineExceeded) {
			meaning = "No answer came within the client's time limit; the execution may still be running server-side."
			fix = "Check the flow's duration (Express runs last at most 5 minutes) and the network, then run again."
		}
		explain("", meaning, fix, "")
	case v.ErrorCode != "" || v.Status == fnf.StatusFailed || v.Status == fnf.StatusTimedOut:
		code := v.ErrorCode
		if code == "" {
			code = string(v.Status)
		}
		info := runError(v.ErrorCode, v.Status)
		lines = append(lines, st.Failure.Render(sanitize.Line(code))+st.Muted.Render(" · "+sanitize.Line(string(v.Status))+" · "+info.kind.String()))
		row("cause", v.ErrorMessage)
		row("request id", v.RequestID)
		row("HTTP status", httpStatus(v.HTTPStatus))
		explain(info.kind.intro(), info.meaning, info.fix, "")
	case v.Status == fnf.StatusCancelled:
		s := fnf.Stopped(v.Backend)
		lines = append(lines, st.Warning.Render(s.Notice))
		explain("", s.Meaning, s.Fix, "")
	default:
		lines = append(lines, st.Muted.Render("no error"))
	}
	return pager{lines: splitLines(lines)}
}

// splitLines makes each line of a multi-line entry an entry of its own.
func splitLines(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		out = append(out, strings.Split(l, "\n")...)
	}
	return out
}

func httpStatus(code int) string {
	if code == 0 {
		return ""
	}
	return strconv.Itoa(code)
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// timingPage shows when the run happened and how long it took, server side
// and client side; "n/a" for what is not known.
func timingPage(st *theme.Styles, v msgs.RunView, loc *time.Location) pager {
	if v.IsBench() {
		return benchTimingPage(st, v)
	}
	const labelW = 16
	row := func(label, value, note string) string {
		s := st.Muted.Render(fmt.Sprintf("%-*s", labelW, label)) + " " + st.Text.Render(value)
		if note != "" {
			s += st.Subtle.Render("  " + note)
		}
		return s
	}
	var lines []string
	at := func(label string, t time.Time) {
		if t.IsZero() {
			lines = append(lines, row(label, "n/a", ""))
			return
		}
		lines = append(lines, row(label, t.In(loc).Format("2006-01-02 15:04:05.000 MST"), ""),
			strings.Repeat(" ", labelW+1)+st.Muted.Render(t.UTC().Format("15:04:05.000")+" UTC"))
	}
	server, ok := v.ServerDuration()
	serverS := "n/a"
	if ok {
		serverS = common.Duration(server)
	}
	latency, overhead := "n/a", "n/a"
	if v.Latency > 0 {
		latency = common.Duration(v.Latency)
		if ok {
			overhead = common.Duration(v.Latency - server)
		}
	}
	at("server started", v.StartedTime)
	at("server stopped", v.StoppedTime)
	lines = append(lines, row("server duration", serverS, "StoppedTime − StartedTime"), "")
	at("client start", v.ClientStart)
	lines = append(lines,
		row("client latency", latency, "round trip, retries included"),
		row("overhead", overhead, "latency − server duration"))
	if v.Backend != "" {
		lines = append(lines, "", row("backend", sanitize.Line(v.Backend), ""))
	}
	return pager{lines: lines}
}
