package fnftest

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
)

type injectKind int

const (
	injectRaw injectKind = iota
	injectHang
	injectReset
)

// injection is a queued canned answer for the next n matching requests.
type injection struct {
	action string // "" matches any action
	n      int
	kind   injectKind
	status int
	body   string
	code   string // recorded Code; the error code for standard answers
	isJSON bool   // raw body parsed as JSON
	std    bool   // FailNextCode: body is the message of a standard error
	after  bool   // the call is carried out first; its answer is replaced
}

// FailNext answers the next n requests for action ("" = any) with status and
// the raw body, before any verification (as a proxy in front of the service
// would). Injections are consumed in the order they were queued.
func (s *Server) FailNext(action string, n int, status int, body string) {
	inj := &injection{action: action, n: n, kind: injectRaw, status: status, body: body}
	var probe struct{ Code string }
	if json.Unmarshal([]byte(body), &probe) == nil {
		inj.code, inj.isJSON = probe.Code, true
	}
	s.queue(inj)
}

// FailNextCode is FailNext with an error body in the service's JSON shape.
// The RequestId in the body is generated per answer.
func (s *Server) FailNextCode(action string, n int, status int, code, message string) {
	s.queue(&injection{action: action, n: n, kind: injectRaw, status: status, code: code, body: message, std: true})
}

// FailAfterNext carries out the next n requests for action, then answers
// each with status and an error in the service's JSON shape instead of the
// real answer: a server error after the call took effect, whose outcome
// the client cannot know.
func (s *Server) FailAfterNext(action string, n int, status int, code, message string) {
	s.queue(&injection{action: action, n: n, kind: injectRaw, status: status, code: code, body: message, std: true, after: true})
}

// ResetAfterNext carries out the next n requests for action, then closes
// their connections without answering.
func (s *Server) ResetAfterNext(action string, n int) {
	s.queue(&injection{action: action, n: n, kind: injectReset, after: true})
}

// HangNext never answers the next n matching requests; the handler returns
// only when the request context ends (client timeout or cancel).
func (s *Server) HangNext(action string, n int) {
	s.queue(&injection{action: action, n: n, kind: injectHang})
}

// ResetNext closes the connection of the next n matching requests without
// answering. Note that Go's http.Transport silently retries idempotent
// requests (GET) that fail this way on a reused keep-alive connection.
func (s *Server) ResetNext(action string, n int) {
	s.queue(&injection{action: action, n: n, kind: injectReset})
}

func (s *Server) queue(inj *injection) {
	if inj.n <= 0 {
		return
	}
	s.mu.Lock()
	s.injections = append(s.injections, inj)
	s.mu.Unlock()
}

// takeInjection pops one use of the first queued injection matching action.
func (s *Server) takeInjection(action string) *injection {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, inj := range s.injections {
		if inj.action != "" && inj.action != action {
			continue
		}
		inj.n--
		if inj.n == 0 {
			s.injections = append(s.injections[:i], s.injections[i+1:]...)
		}
		cp := *inj
		return &cp
	}
	return nil
}

func (s *Server) serveInjection(w http.ResponseWriter, c *call, inj *injection) {
	switch inj.kind {
	case injectHang:
		select {
		case <-c.r.Context().Done():
		case <-s.done:
		}
	case injectReset:
		resetConn(w)
	case injectRaw:
		if inj.std {
			s.fail(w, c, &apiError{inj.status, inj.code, inj.body})
			return
		}
		ct := "text/plain;charset=utf-8"
		if inj.isJSON {
			ct = "application/json;charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(inj.status)
		_, _ = w.Write([]byte(inj.body))
		s.finish(c, inj.status, inj.code)
	}
}

// resetConn drops the TCP connection with RST (linger 0) so the client sees
// a reset or EOF instead of a response.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("fnftest: ResetNext needs an HTTP/1 connection")
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn() // skip the TLS close_notify alert
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}
