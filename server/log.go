package server

import (
	"io"
	"strconv"
	"sync"
	"time"
)

// requestLog writes one line per request:
//
//	2026-03-01T10:00:00.123Z StartSyncExecution flow=order-routing status=200 latency=1.3ms request_id=6F1C…
//
// Only what identifies the call goes in: never a parameter value, a header,
// a signature or a key. Names come from the network, so any that is not
// plainly a name is quoted, and a control character cannot forge a line.
type requestLog struct {
	mu  sync.Mutex
	w   io.Writer
	buf []byte
}

func newRequestLog(w io.Writer) *requestLog {
	if w == nil {
		return nil
	}
	return &requestLog{w: w}
}

func (l *requestLog) write(at time.Time, rq *request, latency time.Duration) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := at.UTC().AppendFormat(l.buf[:0], "2006-01-02T15:04:05.000Z")
	b = append(b, ' ')
	b = appendName(b, rq.action, "-")
	if rq.flow != "" {
		b = append(b, " flow="...)
		b = appendName(b, rq.flow, "")
	}
	b = append(b, " status="...)
	b = strconv.AppendInt(b, int64(rq.status), 10)
	if rq.code != "" {
		b = append(b, " code="...)
		b = appendName(b, rq.code, "")
	}
	b = append(b, " latency="...)
	b = append(b, formatLatency(latency)...)
	b = append(b, " request_id="...)
	b = append(b, rq.id...)
	b = append(b, '\n')
	l.buf = b
	_, _ = l.w.Write(b)
}

// appendName writes s as it is when it holds only name characters (and not
// too many), else quoted and clipped.
func appendName(b []byte, s, empty string) []byte {
	const max = 128
	if s == "" {
		return append(b, empty...)
	}
	plain := len(s) <= max
	for i := 0; plain && i < len(s); i++ {
		c := s[i]
		plain = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':'
	}
	if plain {
		return append(b, s...)
	}
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.AppendQuoteToASCII(b, s)
}

// errorWriter is where net/http reports its own troubles (a failed accept, a
// broken request line): the log, or nowhere with --quiet.
func (l *requestLog) errorWriter() io.Writer {
	if l == nil {
		return io.Discard
	}
	return lockedWriter{l}
}

type lockedWriter struct{ l *requestLog }

func (w lockedWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	return w.l.w.Write(p)
}
