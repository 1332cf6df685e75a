package server

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/flowtui/flowtui/engine"
)

// headerTooLarge is what net/http writes, in one Write on the connection,
// for a request whose request line and headers pass MaxHeaderBytes: a
// text/plain 431 that no setting changes.
const headerTooLarge = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large"

// listener hands out connections that answer a request with oversized
// headers the way the service answers any request over its size limit.
type listener struct {
	net.Listener
	s *Server
}

func (l listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c, s: l.s}, nil
}

type conn struct {
	net.Conn
	s *Server
}

// Write replaces net/http's 431 with 400 EntityTooLarge in the service's
// error body, then reads and drops what the client still sends, as for a
// body over the limit (see discardRest): net/http closes the connection
// next, and a client still sending would otherwise meet a reset.
func (c *conn) Write(p []byte) (int, error) {
	if len(p) != len(headerTooLarge) || string(p) != headerTooLarge {
		return c.Conn.Write(p)
	}
	began := time.Now()
	rq := &request{id: engine.NewRequestID(), status: http.StatusBadRequest, code: entityTooLarge().code}
	if _, err := c.Conn.Write(c.entityTooLarge(rq.id)); err != nil {
		return 0, err
	}
	c.s.log.write(began, rq, time.Since(began))
	_ = c.SetReadDeadline(time.Now().Add(discardTime))
	_, _ = io.CopyN(io.Discard, c.Conn, discardBytes)
	return len(p), nil
}

// entityTooLarge is a whole HTTP answer: the server's handler never sees
// the request.
func (c *conn) entityTooLarge(id string) []byte {
	e := entityTooLarge()
	body, _ := json.Marshal(errorBody{RequestId: id, HostId: c.LocalAddr().String(), Code: e.code, Message: e.msg})
	b := make([]byte, 0, 256+len(body))
	b = append(b, "HTTP/1.1 400 Bad Request\r\nContent-Type: "+jsonType+"\r\nx-acs-request-id: "...)
	b = append(b, id...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\nConnection: close\r\n\r\n"...)
	return append(b, body...)
}

// CloseWrite lets net/http half-close the connection before it closes it.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
