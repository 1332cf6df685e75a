package server

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/flowtui/flowtui/client/sign"
	"github.com/flowtui/flowtui/fnf"
)

const (
	v3Algorithm = sign.V3Algorithm
	// MaxSkew is how far a request's timestamp may be from the server's clock,
	// and how long a nonce is remembered after its timestamp.
	MaxSkew = 15 * time.Minute
	// maxShownStringToSign bounds the string to sign quoted in a
	// SignatureNotMatch message: enough to debug a client, not an echo of a
	// megabyte of Input.
	maxShownStringToSign = 2048
)

// v3MustSign are the headers a V3 request must sign: without them a captured
// request could be replayed with a new date or nonce, or turned into another
// action, another version or another body.
func v3MustSign() []string {
	return []string{"host", "x-acs-action", "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce", "x-acs-version"}
}

// verify checks the signature, the key, the time and the nonce, in that
// order: the nonce is recorded only for a request whose signature holds, so
// that a forged request cannot burn a client's nonce.
func (s *Server) verify(rq *request) *apiError {
	if rq.v3 {
		return s.verifyV3(rq)
	}
	return s.verifyV2(rq)
}

// verifyV2 checks the HMAC-SHA1 RPC signature (SignatureVersion 1.0) over
// every query and form parameter but Signature.
func (s *Server) verifyV2(rq *request) *apiError {
	p := rq.params
	var absent []string
	for _, name := range []string{"AccessKeyId", "Signature", "SignatureNonce", "Timestamp"} {
		if name == "Signature" && rq.signature == "" || name != "Signature" && p.get(name) == "" {
			absent = append(absent, name)
		}
	}
	if len(absent) > 0 {
		if rq.signature == "" && p.get("AccessKeyId") == "" {
			return missing("Signature (V2, HMAC-SHA1) or an Authorization header (V3, " + v3Algorithm + ")")
		}
		return missing(absent...)
	}
	// The official SDKs always send both; a client that leaves them out means
	// the only scheme there is.
	if m := p.get("SignatureMethod"); m != "" && m != sign.V2Method {
		return invalid("SignatureMethod %q is not supported: use %s, or sign with %s in an Authorization header", m, sign.V2Method, v3Algorithm)
	}
	if v := p.get("SignatureVersion"); v != "" && v != sign.V2Version {
		return invalid("SignatureVersion %q is not supported: use %s", v, sign.V2Version)
	}
	if e := s.checkKey(p.get("AccessKeyId")); e != nil {
		return e
	}
	var vals sign.Values
	for _, kv := range p {
		vals.Add(kv.name, kv.value)
	}
	sts := sign.V2StringToSign(rq.r.Method, &vals)
	want := base64.StdEncoding.EncodeToString(macSum(&s.v2mac, sts))
	if !hmac.Equal([]byte(rq.signature), []byte(want)) {
		return errorf(http.StatusForbidden, fnf.CodeSignatureNotMatch,
			"the V2 signature does not match the server's: check the AccessKey secret; the server signed %s",
			shownStringToSign(sts, p.get("SecurityToken") != ""))
	}
	return s.checkFresh("Timestamp", p.get("Timestamp"), p.get("SignatureNonce"))
}

// verifyV3 checks the ACS3-HMAC-SHA256 header signature.
func (s *Server) verifyV3(rq *request) *apiError {
	auth, ok := parseV3Auth(rq.r.Header.Get("Authorization"))
	if !ok {
		return invalid("the Authorization header must read %s Credential=<AccessKeyId>,SignedHeaders=<names>,Signature=<hex>", v3Algorithm)
	}
	h := rq.r.Header
	for _, name := range []string{"x-acs-date", "x-acs-signature-nonce", "x-acs-content-sha256"} {
		if h.Get(name) == "" {
			return missingHeader(name)
		}
	}
	signed := strings.Split(auth.signedHeaders, ";")
	for _, name := range v3MustSign() {
		if !slices.Contains(signed, name) {
			return invalid("SignedHeaders %q must include %s", auth.signedHeaders, name)
		}
	}
	if e := s.checkKey(auth.credential); e != nil {
		return e
	}
	payloadHash := strings.ToLower(h.Get("x-acs-content-sha256"))
	if sum := sign.HashPayload(rq.body); payloadHash != sum {
		return errorf(http.StatusForbidden, fnf.CodeSignatureNotMatch,
			"x-acs-content-sha256 %s does not match the body, whose SHA-256 is %s", payloadHash, sum)
	}
	canonical := v3Canonical(rq, signed, payloadHash)
	sts := sign.V3StringToSign(canonical)
	want := hex.EncodeToString(macSum(&s.v3mac, sts))
	if !hmac.Equal([]byte(strings.ToLower(auth.signature)), []byte(want)) {
		return errorf(http.StatusForbidden, fnf.CodeSignatureNotMatch,
			"the V3 signature does not match the server's: check the AccessKey secret; the server signed %s over the canonical request %s",
			shownStringToSign(sts, false), shownStringToSign(canonical, h.Get("x-acs-security-token") != ""))
	}
	return s.checkFresh("x-acs-date", h.Get("x-acs-date"), h.Get("x-acs-signature-nonce"))
}

// newMACs prepares the keyed hashes of both schemes, as sign.V2Sign and
// sign.V3Sign key them (V2 with the secret and "&", V3 with the secret alone).
// Keying one costs two hash blocks and a dozen allocations, and one cannot be
// shared between goroutines: they are pooled.
func (s *Server) newMACs() {
	secret := s.secret.Reveal()
	s.v2mac.New = func() any { return hmac.New(sha1.New, []byte(secret+"&")) }
	s.v3mac.New = func() any { return hmac.New(sha256.New, []byte(secret)) }
}

// macSum is the MAC of sts under a pooled keyed hash.
func macSum(pool *sync.Pool, sts string) []byte {
	mac := pool.Get().(hash.Hash)
	mac.Reset()
	io.WriteString(mac, sts)
	sum := mac.Sum(nil)
	pool.Put(mac)
	return sum
}

// v3Canonical rebuilds the canonical request over the headers the client
// says it signed, in its order: a compliant client sorts them, and any other
// order would not have matched on its side either.
func v3Canonical(rq *request, signed []string, payloadHash string) string {
	var q sign.Values
	for _, kv := range rq.query {
		q.Add(kv.name, kv.value)
	}
	var b strings.Builder
	b.WriteString(rq.r.Method)
	b.WriteString("\n/\n")
	b.WriteString(sign.Canonical(&q))
	b.WriteByte('\n')
	for _, name := range signed {
		value := rq.r.Host // Go moves Host out of the header map
		if name != "host" {
			value = strings.Join(rq.r.Header.Values(name), ",")
		}
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strings.TrimSpace(value))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signed, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

type v3Auth struct {
	credential, signedHeaders, signature string
}

// parseV3Auth splits "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…".
func parseV3Auth(h string) (v3Auth, bool) {
	rest, ok := strings.CutPrefix(h, v3Algorithm+" ")
	if !ok {
		return v3Auth{}, false
	}
	var a v3Auth
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			a.credential = v
		case "SignedHeaders":
			a.signedHeaders = v
		case "Signature":
			a.signature = v
		}
	}
	return a, a.credential != "" && a.signedHeaders != "" && a.signature != ""
}

// checkKey compares in constant time: the AccessKey ID is not a secret, but
// nothing is lost by not timing it either.
func (s *Server) checkKey(id string) *apiError {
	if !hmac.Equal([]byte(id), []byte(s.keyID)) {
		return errorf(http.StatusForbidden, fnf.CodeInvalidAccessKeyID,
			"access key %q is not known to this server: use the key pair flowtui serve printed or was given", id)
	}
	return nil
}

// checkFresh refuses a timestamp more than MaxSkew off the server's clock,
// then a nonce seen within that window.
func (s *Server) checkFresh(field, stamp, nonce string) *apiError {
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return invalid("%s %q is not a UTC time like 2024-01-02T03:04:05Z", field, stamp)
	}
	now := s.now()
	if d := now.Sub(t); d > MaxSkew || d < -MaxSkew {
		return errorf(http.StatusForbidden, fnf.CodeRequestTimeTooSkewed,
			"%s %s is %s off this server's clock (%s); at most %s is allowed: check the client's clock",
			field, stamp, d.Abs().Round(time.Second), now.UTC().Format(time.RFC3339), MaxSkew)
	}
	if !s.nonces.use(nonce, t.Add(MaxSkew), now) {
		return errorf(http.StatusBadRequest, fnf.CodeSignatureNonceUsed,
			"signature nonce %q was used by an earlier request within %s: send a fresh nonce with every request", nonce, MaxSkew)
	}
	return nil
}

// shownStringToSign quotes what the server signed, so that a client author
// can compare it with theirs, unless it is long or holds an STS token, which
// must never be echoed: a secret is never printed, errors included.
func shownStringToSign(s string, holdsToken bool) string {
	switch {
	case holdsToken:
		return "a string of " + strconv.Itoa(len(s)) + " bytes (not quoted: it holds the security token)"
	case len(s) > maxShownStringToSign:
		return "a string of " + strconv.Itoa(len(s)) + " bytes (too long to quote)"
	}
	return strconv.Quote(s)
}
