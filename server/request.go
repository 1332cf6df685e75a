package server

import (
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// MaxRequestBytes is the service's request size limit (1,024 KiB): the query
// string and the body together.
const MaxRequestBytes = 1 << 20

const (
	formType = "application/x-www-form-urlencoded"
	jsonType = "application/json;charset=utf-8"
)

// request is one call while it is handled.
type request struct {
	w http.ResponseWriter
	r *http.Request
	// What it asks: parameters from the query string and the form body alike.
	query     params // the query string alone: what V3 signs
	params    params // query and form, Signature removed
	signature string // the V2 Signature parameter
	body      []byte
	overflow  bool         // over MaxRequestBytes: the rest of the body is unread
	stopping  *atomic.Bool // the server's: set, each answer closes its connection
	v3        bool
	action    string
	version   string
	// What it did, for the log line.
	id     string
	flow   string
	status int
	code   string
}

// read takes the request apart: method and path, size, media type,
// parameters, and which action of which version it asks for. Nothing is
// trusted yet: the signature is checked after.
func (rq *request) read() *apiError {
	r := rq.r
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return errorf(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "HTTP method %s is not supported: use GET or POST", r.Method)
	}
	if r.URL.Path != "/" {
		return errorf(http.StatusNotFound, "InvalidURI", "path %q is not served: the fnf API answers on /", r.URL.Path)
	}
	if e := rq.readBody(); e != nil {
		return e
	}
	all, err := parseParams(make(params, 0, 16), r.URL.RawQuery)
	if err != nil {
		return invalid("the query string is malformed: %v", err)
	}
	rq.query = all[:len(all):len(all)] // appending the form below must not write into it
	if len(rq.body) > 0 {
		ct := r.Header.Get("Content-Type")
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != formType {
			return errorf(http.StatusUnsupportedMediaType, fnf.CodeUnsupportedMediaType,
				"Content-Type %q is not supported: send the parameters in the query string or as a %s body", ct, formType)
		}
		if all, err = parseParams(all, string(rq.body)); err != nil {
			return invalid("the form body is malformed: %v", err)
		}
	}
	rq.params = all
	rq.v3 = strings.HasPrefix(r.Header.Get("Authorization"), "ACS3-")
	if rq.v3 {
		rq.action, rq.version = r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version")
		switch {
		case rq.action == "":
			return missingHeader("x-acs-action")
		case rq.version == "":
			return missingHeader("x-acs-version")
		}
	} else {
		// The signature signs everything but itself. Removing it shifts the
		// shared array under rq.query, which V2 has no use for: drop it.
		rq.query = nil
		rq.signature = rq.params.get("Signature")
		rq.params = slices.DeleteFunc(slices.Clip(rq.params), func(p param) bool { return p.name == "Signature" })
		rq.action, rq.version = rq.params.get("Action"), rq.params.get("Version")
		var absent []string
		if rq.action == "" {
			absent = append(absent, "Action")
		}
		if rq.version == "" {
			absent = append(absent, "Version")
		}
		if len(absent) > 0 {
			return missing(absent...)
		}
	}
	if rq.version != fnf.APIVersion {
		return errorf(http.StatusBadRequest, fnf.CodeAPIVersionNotSupported,
			"API version %q is not supported: this endpoint speaks fnf %s", rq.version, fnf.APIVersion)
	}
	if f := rq.params.get("Format"); f != "" && !strings.EqualFold(f, "JSON") {
		return invalid("Format %q is not supported: this endpoint answers JSON only (Format=JSON)", f)
	}
	return nil
}

// readBody reads at most MaxRequestBytes+1 bytes: enough to tell a request
// over the limit without holding more of it.
func (rq *request) readBody() *apiError {
	r := rq.r
	tooLarge := func() *apiError {
		rq.overflow = true
		return entityTooLarge()
	}
	if r.ContentLength > MaxRequestBytes || int64(len(r.URL.RawQuery)) > MaxRequestBytes {
		return tooLarge()
	}
	var err error
	if r.ContentLength >= 0 {
		rq.body = make([]byte, r.ContentLength)
		_, err = io.ReadFull(r.Body, rq.body)
	} else {
		rq.body, err = io.ReadAll(io.LimitReader(r.Body, MaxRequestBytes+1))
	}
	if err != nil {
		return invalid("reading the body: %v", err)
	}
	if len(rq.body)+len(r.URL.RawQuery) > MaxRequestBytes {
		return tooLarge()
	}
	return nil
}

// Past the limit the answer is written before the rest of the body is read.
// A client that reads only once it has sent everything would then meet a
// reset connection and lose the answer, so the rest is read and dropped, for
// a bounded time and amount, before the connection closes.
const (
	discardTime  = 10 * time.Second
	discardBytes = 1 << 30
)

// discardRest sends the answer, then reads the rest of the body until its
// end or the bounds. A client that asked to be told to continue was not
// told: it sends nothing more.
func (rq *request) discardRest() {
	rc := http.NewResponseController(rq.w)
	if rc.Flush() != nil || strings.EqualFold(rq.r.Header.Get("Expect"), "100-continue") {
		return
	}
	_ = rc.SetReadDeadline(time.Now().Add(discardTime))
	_, _ = io.CopyN(io.Discard, rq.r.Body, discardBytes)
}

// ok answers 200 with v, which carries the RequestId.
func (rq *request) ok(v any) {
	rq.writeJSON(http.StatusOK, v)
}

// fail answers in the service's error shape.
func (rq *request) fail(e *apiError) {
	rq.code = e.code
	rq.writeJSON(e.status, errorBody{RequestId: rq.id, HostId: rq.r.Host, Code: e.code, Message: e.msg})
}

func (rq *request) writeJSON(status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only the package's own plain structs are written; keep the contract anyway.
		status, rq.code = http.StatusInternalServerError, fnf.CodeInternalServerError
		b, _ = json.Marshal(errorBody{RequestId: rq.id, HostId: rq.r.Host, Code: rq.code, Message: "encoding the answer: " + err.Error()})
	}
	h := rq.w.Header()
	h.Set("Content-Type", jsonType)
	if rq.overflow || rq.stopping != nil && rq.stopping.Load() {
		// What follows on the wire is the rest of the body; or the server
		// is stopping and this connection takes no further request.
		h.Set("Connection", "close")
	}
	// Known up front, so a large ListFlows page is not sent chunked.
	h.Set("Content-Length", strconv.Itoa(len(b)))
	rq.status = status
	rq.w.WriteHeader(status)
	_, _ = rq.w.Write(b)
}
