package fnftest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
)

const (
	formType     = "application/x-www-form-urlencoded"
	jsonType     = "application/json;charset=utf-8"
	maxBody      = 10 << 20
	millisLayout = "2006-01-02T15:04:05.000Z"
)

// apiError is an answer in the service's standard error shape.
type apiError struct {
	status int
	code   string
	msg    string
}

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, msg: fmt.Sprintf(format, args...)}
}

func missing(name string) *apiError {
	return errf(http.StatusBadRequest, "MissingRequiredParams", "%s is mandatory for this action.", name)
}

func invalidArg(format string, args ...any) *apiError {
	return errf(http.StatusBadRequest, "InvalidArgument", format, args...)
}

// v3Auth is a parsed ACS3-HMAC-SHA256 Authorization header.
type v3Auth struct {
	ok                            bool
	credential, signed, signature string
}

// call is the state of one request while it is being handled.
type call struct {
	r         *http.Request
	id        string // RequestId
	idx       int    // index in Server.requests
	v3        bool
	auth      v3Auth
	action    string
	version   string
	query     url.Values
	form      url.Values
	params    url.Values // query+form, Signature removed
	signature string     // V2 Signature parameter
	body      []byte
	early     *apiError // malformed request, answered after injections
}

func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	c := s.begin(r)
	// Injected answers come first, as a proxy in front of the service would;
	// an injection "after" lets the service carry the call out first.
	if inj := s.takeInjection(c.action); inj != nil {
		if inj.after {
			s.serve(httptest.NewRecorder(), c)
		}
		s.serveInjection(w, c, inj)
		return
	}
	s.serve(w, c)
}

// serve verifies and carries out one call.
func (s *Server) serve(w http.ResponseWriter, c *call) {
	if c.early != nil {
		s.fail(w, c, c.early)
		return
	}
	verify := s.verifyV2
	if c.v3 {
		verify = s.verifyV3
	}
	if e := verify(c); e != nil {
		s.fail(w, c, e)
		return
	}
	s.mu.Lock()
	s.requests[c.idx].Verified = true
	s.mu.Unlock()

	switch {
	case c.version == "":
		s.fail(w, c, missing("Version"))
		return
	case c.version != APIVersion:
		s.fail(w, c, errf(http.StatusBadRequest, "APIVersionNotSupported",
			"Specified api version %s is not supported; only %s is.", c.version, APIVersion))
		return
	}
	switch c.action {
	case "ListFlows":
		s.listFlows(w, c)
	case "DescribeFlow":
		s.describeFlow(w, c)
	case "StartSyncExecution":
		s.startSyncExecution(w, c)
	case "StartExecution":
		s.startExecution(w, c)
	case "DescribeExecution":
		s.describeExecution(w, c)
	case "ListExecutions":
		s.listExecutions(w, c)
	case "GetExecutionHistory":
		s.getExecutionHistory(w, c)
	case "StopExecution":
		s.stopExecution(w, c)
	case "ReportTaskSucceeded":
		s.reportTask(w, c, true)
	case "ReportTaskFailed":
		s.reportTask(w, c, false)
	case "DescribeRegions":
		s.describeRegions(w, c)
	case "":
		s.fail(w, c, missing("Action"))
	default:
		s.fail(w, c, errf(http.StatusBadRequest, "ActionNotSupported",
			"Specified api %s is not supported.", c.action))
	}
}

// begin reads and parses the request and records it. Parse problems are kept
// in c.early so that injections still take precedence.
func (s *Server) begin(r *http.Request) *call {
	c := &call{
		r:  r,
		id: newUUID(true),
		v3: strings.HasPrefix(r.Header.Get("Authorization"), v3Algorithm),
	}
	early := func(e *apiError) {
		if c.early == nil {
			c.early = e
		}
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		early(invalidArg("reading body: %v", err))
	}
	c.body = body
	c.query, err = url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		early(invalidArg("malformed query string: %v", err))
	}
	ct := r.Header.Get("Content-Type")
	switch {
	case r.Method != http.MethodGet && r.Method != http.MethodPost:
		early(errf(http.StatusMethodNotAllowed, "UnsupportedHTTPMethod", "HTTP method %s is not supported.", r.Method))
	case r.URL.Path != "/":
		early(errf(http.StatusNotFound, "InvalidURI", "Only path / is served, got %s.", r.URL.Path))
	case r.Method == http.MethodPost && (ct != "" || len(body) > 0):
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != formType {
			early(errf(http.StatusUnsupportedMediaType, "UnsupportedMediaType",
				"Content-Type %q is not supported; use %s.", ct, formType))
			break
		}
		c.form, err = url.ParseQuery(string(body))
		if err != nil {
			early(invalidArg("malformed form body: %v", err))
		}
	}

	c.params = cloneValues(c.query)
	if c.params == nil {
		c.params = url.Values{}
	}
	for k, vs := range c.form {
		c.params[k] = append(c.params[k], vs...)
	}
	c.signature = c.params.Get("Signature")
	c.params.Del("Signature")

	rec := Request{
		Method:      r.Method,
		Params:      c.params,
		Query:       cloneValues(c.query),
		Header:      r.Header.Clone(),
		ContentType: ct,
	}
	if c.v3 {
		c.auth = parseV3Auth(r.Header.Get("Authorization"))
		c.action, c.version = r.Header.Get("x-acs-action"), r.Header.Get("x-acs-version")
		rec.SignatureVersion = "v3"
		rec.Nonce = r.Header.Get("x-acs-signature-nonce")
		rec.Timestamp = r.Header.Get("x-acs-date")
		rec.AccessKeyID = c.auth.credential
		rec.SecurityToken = r.Header.Get("x-acs-security-token")
	} else {
		c.action, c.version = c.params.Get("Action"), c.params.Get("Version")
		rec.SignatureVersion = "v2"
		rec.Nonce = c.params.Get("SignatureNonce")
		rec.Timestamp = c.params.Get("Timestamp")
		rec.AccessKeyID = c.params.Get("AccessKeyId")
		rec.SecurityToken = c.params.Get("SecurityToken")
	}
	rec.Action = c.action

	s.mu.Lock()
	c.idx = len(s.requests)
	s.requests = append(s.requests, rec)
	s.mu.Unlock()
	return c
}

// parseV3Auth splits "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".
func parseV3Auth(h string) v3Auth {
	rest, ok := strings.CutPrefix(h, v3Algorithm+" ")
	if !ok {
		return v3Auth{}
	}
	var a v3Auth
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signed = v
		case "Signature":
			a.signature = v
		}
	}
	a.ok = a.credential != "" && a.signed != "" && a.signature != ""
	return a
}

func (s *Server) finish(c *call, status int, code string) {
	s.mu.Lock()
	s.requests[c.idx].Status = status
	s.requests[c.idx].Code = code
	s.mu.Unlock()
}

// errorBody is the service's error shape.
type errorBody struct {
	RequestId string
	HostId    string
	Code      string
	Message   string
	Recommend string
}

func (s *Server) fail(w http.ResponseWriter, c *call, e *apiError) {
	writeJSON(w, c, e.status, errorBody{
		RequestId: c.id,
		HostId:    c.r.Host,
		Code:      e.code,
		Message:   e.msg,
		Recommend: "https://api.alibabacloud.com/troubleshoot?q=" + url.QueryEscape(e.code) +
			"&product=fnf&requestId=" + c.id,
	})
	s.finish(c, e.status, e.code)
}

func (s *Server) ok(w http.ResponseWriter, c *call, v any) {
	writeJSON(w, c, http.StatusOK, v)
	s.finish(c, http.StatusOK, "")
}

func writeJSON(w http.ResponseWriter, c *call, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own plain structs are marshalled
	}
	w.Header().Set("Content-Type", jsonType)
	w.Header().Set("x-acs-request-id", c.id)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// newUUID returns a random UUID-shaped string, uppercase like RequestIds or
// lowercase like flow ids and execution names.
func newUUID(upper bool) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	s := fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	if upper {
		return strings.ToUpper(s)
	}
	return s
}
