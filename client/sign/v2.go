package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"strings"
)

// V2 names the RPC signature the fnf SDKs send: SignatureMethod HMAC-SHA1,
// SignatureVersion 1.0 (Alibaba's docs call this scheme "V2").
const (
	V2Method  = "HMAC-SHA1"
	V2Version = "1.0"
)

// V2StringToSign builds METHOD&%2F&enc(canonical) over every query parameter except
// Signature and, for POST, every form-body parameter.
func V2StringToSign(method string, sets ...*Values) string {
	canonical := Canonical(sets...)
	// The canonical string holds only unreserved bytes, '%', '=' and '&', so its
	// second encoding is three substitutions; a 1 MiB Input makes this worth a
	// dedicated pass.
	var b strings.Builder
	b.Grow(len(method) + 5 + len(canonical) + 2*strings.Count(canonical, "%") + 2*len(sets)*8)
	b.WriteString(method)
	b.WriteString("&%2F&")
	for len(canonical) > 0 {
		i := strings.IndexAny(canonical, "%=&")
		if i < 0 {
			b.WriteString(canonical)
			break
		}
		b.WriteString(canonical[:i])
		switch canonical[i] {
		case '%':
			b.WriteString("%25")
		case '=':
			b.WriteString("%3D")
		default:
			b.WriteString("%26")
		}
		canonical = canonical[i+1:]
	}
	return b.String()
}

// V2Sign returns base64(HMAC-SHA1(secret+"&", stringToSign)).
func V2Sign(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
