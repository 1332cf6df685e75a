package sign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strings"
)

// V3Algorithm is the header signature scheme that a bare darabonba client sends.
const V3Algorithm = "ACS3-HMAC-SHA256"

// EmptyPayloadHash is hex(SHA-256("")), the x-acs-content-sha256 of a bodyless request.
const EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// Header is one HTTP header offered for signing.
type Header struct{ Name, Value string }

// V3Request is what the V3 signature covers.
type V3Request struct {
	Method      string
	Path        string // "/" when empty
	Query       *Values
	Headers     []Header // host, content-type and x-acs-* are signed, others ignored
	PayloadHash string   // hex SHA-256 of the body (x-acs-content-sha256)
}

// HashPayload returns hex(SHA-256(body)).
func HashPayload(body []byte) string {
	if len(body) == 0 {
		return EmptyPayloadHash
	}
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

func signedHeader(lower string) bool {
	return lower == "host" || lower == "content-type" || strings.HasPrefix(lower, "x-acs-")
}

// V3Canonical builds the canonical request and the SignedHeaders list.
func V3Canonical(r V3Request) (canonical, signedHeaders string) {
	type hv struct{ name, value string }
	hs := make([]hv, 0, len(r.Headers))
	for _, h := range r.Headers {
		n := strings.ToLower(strings.TrimSpace(h.Name))
		if signedHeader(n) {
			hs = append(hs, hv{n, strings.TrimSpace(h.Value)})
		}
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].name < hs[j].name })

	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.Path))
	b.WriteByte('\n')
	if r.Query != nil {
		b.WriteString(Canonical(r.Query))
	}
	b.WriteByte('\n')
	names := make([]string, len(hs))
	for i, h := range hs {
		names[i] = h.name
		b.WriteString(h.name)
		b.WriteByte(':')
		b.WriteString(h.value)
		b.WriteByte('\n')
	}
	signedHeaders = strings.Join(names, ";")
	b.WriteByte('\n')
	b.WriteString(signedHeaders)
	b.WriteByte('\n')
	b.WriteString(r.PayloadHash)
	return b.String(), signedHeaders
}

func canonicalURI(path string) string {
	if path == "" || path == "/" {
		return "/"
	}
	segs := strings.Split(path, "/")
	for i, s := range segs {
		segs[i] = Encode(s)
	}
	return strings.Join(segs, "/")
}

// V3StringToSign returns "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical)).
func V3StringToSign(canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return V3Algorithm + "\n" + hex.EncodeToString(sum[:])
}

// V3Sign returns hex(HMAC-SHA256(secret, stringToSign)); the key is the raw
// secret, without the "&" of the V2 scheme.
func V3Sign(secret, stringToSign string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(stringToSign))
	return hex.EncodeToString(mac.Sum(nil))
}

// V3Authorization returns the Authorization header value for r.
func V3Authorization(accessKeyID, secret string, r V3Request) string {
	canonical, signed := V3Canonical(r)
	sig := V3Sign(secret, V3StringToSign(canonical))
	return V3Algorithm + " Credential=" + accessKeyID + ",SignedHeaders=" + signed + ",Signature=" + sig
}
