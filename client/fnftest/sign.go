package fnftest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
)

// Pure signing functions, written from Alibaba Cloud's published V2 (RPC,
// HMAC-SHA1) and V3 (ACS3-HMAC-SHA256) signature specifications.

const v3Algorithm = "ACS3-HMAC-SHA256"

// percentEncode is RFC 3986 encoding as Alibaba uses it: only unreserved
// bytes stay literal, everything else is %XY with uppercase hex (so space is
// %20 and never +, and '*' and '~' are not special-cased as in some SDKs).
func percentEncode(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0x0f])
		}
	}
	return b.String()
}

// canonicalQuery encodes every name and value, sorts by encoded name then
// encoded value (byte order) and joins name=value with '&'. Empty values keep
// their '='. Both V2 and V3 use this form.
func canonicalQuery(params url.Values) string {
	type pair struct{ k, v string }
	var pairs []pair
	for k, vs := range params {
		ek := percentEncode(k)
		for _, v := range vs {
			pairs = append(pairs, pair{ek, percentEncode(v)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// v2StringToSign builds METHOD&%2F&enc(canonical) over params, which must
// already exclude Signature and include any form-body parameters.
func v2StringToSign(method string, params url.Values) string {
	return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery(params))
}

// v2Sign is base64(HMAC-SHA1(secret + "&", stringToSign)).
func v2Sign(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// v3CanonicalRequest builds the V3 canonical request. headers maps lowercase
// names to raw values; signed lists the signed header names, already
// lowercase and sorted. The canonical URI is always "/" for RPC APIs.
func v3CanonicalRequest(method string, query url.Values, headers map[string]string, signed []string, payloadHash string) string {
	var b strings.Builder
	b.WriteString(method + "\n/\n" + canonicalQuery(query) + "\n")
	for _, h := range signed {
		b.WriteString(h + ":" + strings.TrimSpace(headers[h]) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + payloadHash)
	return b.String()
}

// v3StringToSign is "ACS3-HMAC-SHA256\n" + hex(sha256(canonicalRequest)).
func v3StringToSign(canonicalRequest string) string {
	return v3Algorithm + "\n" + sha256Hex([]byte(canonicalRequest))
}

// v3Sign is hex(HMAC-SHA256(secret, stringToSign)); unlike V2 the key has no
// trailing '&'.
func v3Sign(secret, stringToSign string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	return hex.EncodeToString(m.Sum(nil))
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
