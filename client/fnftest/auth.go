package fnftest

import (
	"crypto/hmac"
	"net/http"
	"slices"
	"strings"
	"time"
)

const (
	timeLayout = "2006-01-02T15:04:05Z"
	maxSkew    = 15 * time.Minute
)

// v3Required lists the headers every V3 request must sign (a function, not a
// package variable, so nothing can mutate it).
func v3Required() []string {
	return []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
}

// verifyV2 checks an HMAC-SHA1 RPC-signed request. Order mirrors the real
// gateway closely enough for tests: shape, key, token, signature, time, nonce.
func (s *Server) verifyV2(c *call) *apiError {
	p := c.params
	for _, name := range []string{"AccessKeyId", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp", "Format"} {
		if p.Get(name) == "" {
			return missing(name)
		}
	}
	if c.signature == "" {
		return missing("Signature")
	}
	if m := p.Get("SignatureMethod"); m != "HMAC-SHA1" {
		return errf(http.StatusBadRequest, "IncompleteSignature", "SignatureMethod %s is not supported; use HMAC-SHA1.", m)
	}
	if v := p.Get("SignatureVersion"); v != "1.0" {
		return errf(http.StatusBadRequest, "IncompleteSignature", "SignatureVersion %s is not supported; use 1.0.", v)
	}
	if f := p.Get("Format"); !strings.EqualFold(f, "JSON") {
		// The real service would answer XML, which a JSON client cannot parse.
		return invalidArg("Format %s is not supported by fnftest; use JSON.", f)
	}
	secret, e := s.credential(p.Get("AccessKeyId"), p.Get("SecurityToken"))
	if e != nil {
		return e
	}
	sts := v2StringToSign(c.r.Method, p)
	if !hmac.Equal([]byte(c.signature), []byte(v2Sign(secret, sts))) {
		return errf(http.StatusForbidden, "SignatureNotMatch",
			"Specified signature is not matched with our calculation. server string to sign is:%s", sts)
	}
	if e := s.checkTime(p.Get("Timestamp")); e != nil {
		return e
	}
	return s.useNonce(p.Get("SignatureNonce"))
}

// verifyV3 checks an ACS3-HMAC-SHA256 signed request.
func (s *Server) verifyV3(c *call) *apiError {
	a, h := c.auth, c.r.Header
	if !a.ok {
		return errf(http.StatusBadRequest, "IncompleteSignature",
			"Authorization must be %s Credential=...,SignedHeaders=...,Signature=...", v3Algorithm)
	}
	mustSign := v3Required()
	for _, name := range mustSign[1:] { // all but host, which Go always has
		if h.Get(name) == "" {
			return missing(name)
		}
	}
	signed := strings.Split(a.signed, ";")
	for i, name := range signed {
		if name == "" || name != strings.ToLower(name) || (i > 0 && signed[i-1] >= name) {
			return errf(http.StatusBadRequest, "IncompleteSignature",
				"SignedHeaders %q must be lowercase, sorted and without duplicates.", a.signed)
		}
	}
	if h.Get("x-acs-security-token") != "" {
		mustSign = append(mustSign, "x-acs-security-token")
	}
	for _, name := range mustSign {
		if !slices.Contains(signed, name) {
			return errf(http.StatusBadRequest, "IncompleteSignature", "SignedHeaders must include %s.", name)
		}
	}
	secret, e := s.credential(a.credential, h.Get("x-acs-security-token"))
	if e != nil {
		return e
	}
	payloadHash := h.Get("x-acs-content-sha256")
	if sum := sha256Hex(c.body); payloadHash != sum {
		return errf(http.StatusForbidden, "SignatureNotMatch",
			"x-acs-content-sha256 %s does not match the body, whose hex SHA-256 is %s.", payloadHash, sum)
	}
	values := make(map[string]string, len(signed))
	for _, name := range signed {
		if name == "host" {
			values[name] = c.r.Host // Go moves Host out of the header map
		} else {
			values[name] = strings.Join(h.Values(name), ",")
		}
	}
	cr := v3CanonicalRequest(c.r.Method, c.query, values, signed, payloadHash)
	sts := v3StringToSign(cr)
	if !hmac.Equal([]byte(a.signature), []byte(v3Sign(secret, sts))) {
		return errf(http.StatusForbidden, "SignatureNotMatch",
			"Specified signature does not match our calculation. server string to sign is:%s server canonical request is:%s", sts, cr)
	}
	if e := s.checkTime(h.Get("x-acs-date")); e != nil {
		return e
	}
	return s.useNonce(h.Get("x-acs-signature-nonce"))
}

// credential returns the secret for accessKeyID after checking the STS token.
// keys and token are only written by options before the server starts.
func (s *Server) credential(accessKeyID, token string) (string, *apiError) {
	secret, ok := s.keys[accessKeyID]
	if !ok {
		return "", errf(http.StatusForbidden, "InvalidAccessKeyID", "Specified access key %s is not found.", accessKeyID)
	}
	switch {
	case token == s.token:
		return secret, nil
	case s.token == "":
		return "", errf(http.StatusForbidden, "InvalidSecurityToken", "A security token was sent but this access key does not use one.")
	case token == "":
		return "", errf(http.StatusForbidden, "InvalidSecurityToken", "This access key requires a security token.")
	default:
		return "", errf(http.StatusForbidden, "InvalidSecurityToken", "The security token does not match the access key.")
	}
}

func (s *Server) checkTime(ts string) *apiError {
	t, err := time.Parse(timeLayout, ts)
	if err != nil {
		return errf(http.StatusBadRequest, "InvalidTimeStamp.Format",
			"Specified time stamp %q is not in format yyyy-MM-ddTHH:mm:ssZ (UTC).", ts)
	}
	now := s.now().UTC()
	if d := now.Sub(t); d > maxSkew || d < -maxSkew {
		return errf(http.StatusForbidden, "RequestTimeTooSkewed",
			"Specified time stamp or date value is expired: request %s, server %s.", ts, now.Format(timeLayout))
	}
	return nil
}

// useNonce records a nonce once the signature is known good, so a forged
// request cannot burn a legitimate client's nonce.
func (s *Server) useNonce(nonce string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.nonces[nonce] {
		return errf(http.StatusBadRequest, "SignatureNonceUsed", "Specified signature nonce %s was used already.", nonce)
	}
	s.nonces[nonce] = true
	return nil
}
