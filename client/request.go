package client

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/flowtui/flowtui/fnf"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/flowtui/flowtui/client/sign"
)

const formType = "application/x-www-form-urlencoded"

// newRequest builds and signs one attempt; each gets a fresh nonce and timestamp.
func (c *Cloud) newRequest(ctx context.Context, cl call, creds Credentials) (*http.Request, error) {
	method := http.MethodGet
	if cl.post {
		method = http.MethodPost
	}
	var api sign.Values
	for _, p := range cl.params {
		api.Add(p.name, p.value)
	}
	now := c.cfg.Clock().UTC().Format("2006-01-02T15:04:05Z")
	nonce := newNonce()

	var query, body string
	// Every official client names the action and version in headers too,
	// whatever the signature (gateways may route on them): V3 signs them,
	// V2 signs no header, so they change no V2 signature.
	header := make([][2]string, 2, 11)
	header[0], header[1] = [2]string{"x-acs-action", cl.action}, [2]string{"x-acs-version", fnf.APIVersion}
	if c.cfg.Signature == SignatureV3 {
		var q sign.Values
		q.Add("Format", "JSON")
		for _, p := range cl.query {
			q.Add(p.name, p.value)
		}
		if cl.post {
			body = api.Encode()
		} else {
			for _, p := range cl.params {
				q.Add(p.name, p.value)
			}
		}
		query = q.Encode()
		payloadHash := sign.HashPayload([]byte(body))
		header = append(header,
			[2]string{"x-acs-date", now},
			[2]string{"x-acs-signature-nonce", nonce},
			[2]string{"x-acs-content-sha256", payloadHash},
		)
		if cl.post {
			header = append(header, [2]string{"content-type", formType})
		}
		if !creds.SecurityToken.IsZero() {
			header = append(header, [2]string{"x-acs-security-token", creds.SecurityToken.Reveal()})
		}
		signed := make([]sign.Header, 0, len(header)+1)
		signed = append(signed, sign.Header{Name: "host", Value: c.base.Host})
		for _, h := range header {
			signed = append(signed, sign.Header{Name: h[0], Value: h[1]})
		}
		auth := sign.V3Authorization(creds.AccessKeyID, creds.AccessKeySecret.Reveal(), sign.V3Request{
			Method: method, Path: c.base.Path, Query: &q, Headers: signed, PayloadHash: payloadHash,
		})
		header = append(header, [2]string{"Authorization", auth})
	} else {
		var q sign.Values
		q.Add("AccessKeyId", creds.AccessKeyID)
		q.Add("Action", cl.action)
		q.Add("Format", "JSON")
		q.Add("SignatureMethod", sign.V2Method)
		q.Add("SignatureNonce", nonce)
		q.Add("SignatureVersion", sign.V2Version)
		q.Add("Timestamp", now)
		q.Add("Version", fnf.APIVersion)
		if !creds.SecurityToken.IsZero() {
			q.Add("SecurityToken", creds.SecurityToken.Reveal())
		}
		for _, p := range cl.query {
			q.Add(p.name, p.value)
		}
		sig := sign.V2Signature(creds.AccessKeySecret.Reveal(), method, &q, &api)
		var sb strings.Builder
		sb.WriteString(q.Encode())
		if !cl.post && api.Len() > 0 {
			sb.WriteByte('&')
			sb.WriteString(api.Encode())
		}
		sb.WriteString("&Signature=")
		sb.WriteString(sign.Encode(sig))
		query = sb.String()
		if cl.post {
			body = api.Encode()
			header = append(header, [2]string{"Content-Type", formType})
		}
	}

	u := *c.base
	u.RawQuery = query
	var rd io.Reader
	if cl.post {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("%s: build request: %w", cl.action, err)
	}
	header = append(header, [2]string{"Accept", "application/json"}, [2]string{"User-Agent", c.cfg.UserAgent})
	if cl.testCase != "" {
		header = append(header, [2]string{fnf.TestCaseHeader, cl.testCase})
	}
	// Header.Set would allocate a key for each lower-case name and a slice
	// for each value; this is every call's cost, so share one array.
	values := make([]string, len(header))
	for i, h := range header {
		values[i] = h[1]
		req.Header[canonicalKey(h[0])] = values[i : i+1 : i+1]
	}
	return req, nil
}

// canonicalKeys holds the canonical form of the lower-case header names
// sent on every call.
var canonicalKeys = func() map[string]string {
	m := map[string]string{}
	for _, k := range []string{"x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce",
		"x-acs-content-sha256", "x-acs-security-token", "content-type", fnf.TestCaseHeader} {
		m[k] = http.CanonicalHeaderKey(k)
	}
	return m
}()

func canonicalKey(k string) string {
	if c, ok := canonicalKeys[k]; ok {
		return c
	}
	return http.CanonicalHeaderKey(k)
}

// newNonce returns 32 random hex characters, like the official SDK.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// decode reads a 2xx answer into out, or turns an error answer into an
// *APIError, or a *TransportError when it is not the service's JSON.
func (c *Cloud) decode(cl call, resp *http.Response, body []byte, out any) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if e, ok := out.(*fnf.Execution); ok && decodeExecution(body, e) {
			return nil
		}
		if err := json.Unmarshal(body, out); err != nil {
			return c.transportError(cl, resp, body, fmt.Errorf("the answer is not valid JSON: %w", err))
		}
		return nil
	}
	if resp.StatusCode >= 400 {
		if ae, ok := parseAPIError(resp.StatusCode, body); ok {
			ae.Action, ae.FlowName, ae.Region = cl.action, cl.flow, c.cfg.Region
			if c.cfg.Endpoint != "" {
				ae.Endpoint = c.Info().Endpoint
			}
			return ae
		}
		return c.transportError(cl, resp, body, errNotAPIError)
	}
	return c.transportError(cl, resp, body, fmt.Errorf("unexpected HTTP status"))
}

func (c *Cloud) transportError(cl call, resp *http.Response, body []byte, err error) *fnf.TransportError {
	ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return &fnf.TransportError{Action: cl.action, URL: c.Info().Endpoint, HTTPStatus: resp.StatusCode,
		ContentType: ct, Snippet: snippet(body), Err: err}
}

// snippet is the start of an unexpected body, whitespace folded, for the error.
func snippet(body []byte) string {
	const max = 120
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// unwrapURLError drops *url.Error's "Get "https://…?…Signature=…"" prefix: the
// query holds the signature and the AccessKey ID, which do not belong in errors.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// requestIDOf finds the request id for the debug log.
func requestIDOf(err error, body []byte) string {
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		return ae.RequestID
	}
	i := bytes.Index(body, []byte(`"RequestId"`))
	if i < 0 {
		return ""
	}
	var v struct{ RequestId string }
	if json.Unmarshal(body, &v) == nil {
		return v.RequestId
	}
	return ""
}
