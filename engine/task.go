package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/flowtui/flowtui/engine/expression"
)

// ActionHTTP is the one Task action the engine performs for real when it is
// not mocked.
const ActionHTTP = "HTTP:Request"

// httpTimeout bounds an HTTP:Request Task that sets no Timeout of its own.
const httpTimeout = 60 * time.Second

// maxHTTPBody bounds what is read of an HTTP:Request answer: a state's output
// cannot exceed 64 KiB anyway.
const maxHTTPBody = 1 << 20

// params is what a Task sends: its Parameters evaluated, or its input.
func (x *execution) params(st *State, in any, current map[string]any) (any, *flowError) {
	if st.Parameters == nil {
		return in, nil
	}
	v, err := st.Parameters.Eval(x.env(in, nil, current))
	if err != nil {
		return nil, exprError(st, "Parameters", err)
	}
	return v, nil
}

// call makes one attempt of a Task with its parameters: its mock when the
// test case has one, a real request for HTTP:Request, else a set-up error
// naming the state and action.
func (x *execution) call(ctx context.Context, st *State, params any) (any, *flowError) {
	if a := x.mocked(st); a != nil {
		if a.throw != nil {
			return nil, &flowError{Code: a.throw.Code, Detail: a.throw.Detail}
		}
		if a.shaped {
			return integrationOf(st.Action).shape(deepCopy(a.ret)), nil
		}
		return deepCopy(a.ret), nil
	}
	if st.Action != ActionHTTP {
		return nil, x.notMocked(st.Name, st.Action)
	}
	// The Task's Timeout, else a default; carried by the context, so that a
	// shared client needs no timeout of its own that would cut longer Tasks.
	timeout := st.Timeout
	if timeout <= 0 {
		timeout = httpTimeout
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out, ferr := x.httpRequest(tctx, st, params, timeout)
	if ferr != nil && ctx.Err() != nil {
		// The run ended (its time limit, or a stop), not the request.
		return nil, ctxError(ctx)
	}
	return out, ferr
}

// httpRequest performs an HTTP:Request Task with the parameters of the HTTP
// integration page: url, method (default GET), headers (name → string), body
// (a string is sent as is, anything else as JSON). Its output is the page's
// {"Code", "Header", "Body"}, Body decoded when it is JSON. A 4xx or 5xx
// answer is the error HTTP.<status>.
func (x *execution) httpRequest(ctx context.Context, st *State, params any, timeout time.Duration) (any, *flowError) {
	p, _ := params.(map[string]any)
	fail := func(format string, a ...any) *flowError {
		return &flowError{Code: CodeTaskFailed, Detail: fmt.Sprintf("state %q: HTTP:Request: ", st.Name) + fmt.Sprintf(format, a...)}
	}
	rawURL, _ := p["url"].(string)
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fail("Parameters.url %q is not an http(s) URL", rawURL)
	}
	method, _ := p["method"].(string)
	if method == "" {
		method = http.MethodGet
	}
	var body io.Reader
	contentType := ""
	switch b := p["body"].(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			return nil, fail("Body: %v", err)
		}
		body, contentType = bytes.NewReader(enc), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, strings.ToUpper(method), u.String(), body)
	if err != nil {
		return nil, fail("%v", err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if h, ok := p["headers"].(map[string]any); ok {
		for k, v := range h {
			req.Header.Set(k, scalarText(v))
		}
	}
	hc := x.r.HTTP
	if hc == nil {
		hc = &http.Client{}
	}
	resp, err := hc.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, &flowError{Code: CodeTimeout, Detail: fmt.Sprintf("state %q: HTTP:Request timed out after %s", st.Name, timeout)}
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fail("%s %s: %v", req.Method, u.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPBody))
	if err != nil {
		return nil, fail("reading the answer: %v", err)
	}
	var decoded any = string(data)
	if j, err := expression.DecodeJSON(data); err == nil {
		decoded = j
	}
	if resp.StatusCode >= 400 {
		return nil, &flowError{Code: fmt.Sprintf("HTTP.%d", resp.StatusCode),
			Detail: fmt.Sprintf("state %q: %s %s answered %s: %s", st.Name, req.Method, u.Redacted(), resp.Status, clip(string(data), 200))}
	}
	headers := map[string]any{}
	keys := make([]string, 0, len(resp.Header))
	for k := range resp.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		headers[k] = strings.Join(resp.Header[k], ", ")
	}
	return map[string]any{"Code": resp.StatusCode, "Header": headers, "Body": decoded}, nil
}

func scalarText(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// deepCopy copies JSON-shaped data so that a run never changes a mock.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			m[k] = deepCopy(val)
		}
		return m
	case []any:
		s := make([]any, len(t))
		for i, val := range t {
			s[i] = deepCopy(val)
		}
		return s
	}
	return v
}
