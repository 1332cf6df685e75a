package fnftest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// fixedClock is the server clock in most tests.
func fixedClock() time.Time { return time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC) }

// spec describes a request for the tiny test signer below. It reuses the
// verifier's string-to-sign functions, which the vector tests pin down.
type spec struct {
	v3         bool
	method     string // default GET
	action     string // default ListFlows
	version    string // default APIVersion
	format     string // V2 Format, default JSON
	params     url.Values
	ak, secret string // default testid/testsecret
	token      string
	nonce      string    // default unique
	ts         time.Time // default fixedClock()
	ctype      string    // POST Content-Type override
	body       string    // POST body override (replaces the encoded params)
	unsigned   string    // V3: header left out of SignedHeaders
	edit       func(*http.Request)
}

func (sp spec) request(t testing.TB, base string) *http.Request {
	t.Helper()
	method := cmp(sp.method, http.MethodGet)
	secret := cmp(sp.secret, DefaultSecret)
	ts := sp.ts
	if ts.IsZero() {
		ts = fixedClock()
	}
	nonce := cmp(sp.nonce, newUUID(false))
	query, form := url.Values{}, url.Values{}
	if method == http.MethodGet {
		query = cloneValues(sp.params)
		if query == nil {
			query = url.Values{}
		}
	} else {
		form = sp.params
	}
	body := form.Encode()
	if sp.body != "" {
		body = sp.body
	}
	ctype := ""
	if body != "" {
		ctype = cmp(sp.ctype, formType)
	}

	header := http.Header{}
	if sp.v3 {
		header.Set("x-acs-action", cmp(sp.action, "ListFlows"))
		header.Set("x-acs-version", cmp(sp.version, APIVersion))
		header.Set("x-acs-date", ts.UTC().Format(timeLayout))
		header.Set("x-acs-signature-nonce", nonce)
		header.Set("x-acs-content-sha256", sha256Hex([]byte(body)))
		if sp.token != "" {
			header.Set("x-acs-security-token", sp.token)
		}
	} else {
		for k, v := range map[string]string{
			"Action": cmp(sp.action, "ListFlows"), "Version": cmp(sp.version, APIVersion),
			"Format": cmp(sp.format, "JSON"), "AccessKeyId": cmp(sp.ak, DefaultAccessKeyID),
			"SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
			"SignatureNonce": nonce, "Timestamp": ts.UTC().Format(timeLayout),
		} {
			query.Set(k, v)
		}
		if sp.token != "" {
			query.Set("SecurityToken", sp.token)
		}
		all := cloneValues(query)
		for k, vs := range form {
			all[k] = append(all[k], vs...)
		}
		query.Set("Signature", v2Sign(secret, v2StringToSign(method, all)))
	}

	u := base + "/"
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if sp.v3 {
		values := map[string]string{"host": req.URL.Host}
		for k := range req.Header {
			values[strings.ToLower(k)] = req.Header.Get(k)
		}
		var signed []string
		for k := range values {
			if k != sp.unsigned {
				signed = append(signed, k)
			}
		}
		slices.Sort(signed)
		cr := v3CanonicalRequest(method, query, values, signed, header.Get("x-acs-content-sha256"))
		req.Header.Set("Authorization", v3Algorithm+" Credential="+cmp(sp.ak, DefaultAccessKeyID)+
			",SignedHeaders="+strings.Join(signed, ";")+",Signature="+v3Sign(secret, v3StringToSign(cr)))
	}
	if sp.edit != nil {
		sp.edit(req)
	}
	return req
}

func cmp(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// do sends sp to s and decodes the JSON answer.
func do(t testing.TB, s *Server, sp spec) (int, map[string]json.RawMessage) {
	t.Helper()
	resp, err := s.Client().Do(sp.request(t, s.URL))
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("status %d, body %q: %v", resp.StatusCode, b, err)
	}
	return resp.StatusCode, m
}

// str decodes a string field of a JSON answer.
func str(t testing.TB, m map[string]json.RawMessage, key string) string {
	t.Helper()
	var v string
	if raw, ok := m[key]; ok {
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	return v
}

func flowNames(t testing.TB, m map[string]json.RawMessage) []string {
	t.Helper()
	var flows []Flow
	if err := json.Unmarshal(m["Flows"], &flows); err != nil {
		t.Fatalf("Flows: %v", err)
	}
	var names []string
	for _, f := range flows {
		names = append(names, f.Name)
	}
	return names
}
