package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"slices"
	"strings"
	"unsafe"
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
	buf := appendV2StringToSign(nil, method, sets)
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

// V2Signature signs the parameters in one go, without a string copy of what
// may be a megabyte of StringToSign.
func V2Signature(secret, method string, sets ...*Values) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write(appendV2StringToSign(nil, method, sets))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func appendV2StringToSign(buf []byte, method string, sets []*Values) []byte {
	pairs := sorted(sets)
	// Encoded names and values hold only unreserved bytes and '%', so encoding
	// the canonical string again only turns '%' into "%25" and the separators
	// into "%3D" and "%26": no need to build the canonical string first.
	n := len(method) + 5
	for _, p := range pairs {
		n += len(p.Name) + len(p.Value) + 6 + 2*(strings.Count(p.Name, "%")+strings.Count(p.Value, "%"))
	}
	buf = slices.Grow(buf, n)
	buf = append(buf, method...)
	buf = append(buf, "&%2F&"...)
	for i, p := range pairs {
		if i > 0 {
			buf = append(buf, "%26"...)
		}
		buf = appendPercentEscaped(buf, p.Name)
		buf = append(buf, "%3D"...)
		buf = appendPercentEscaped(buf, p.Value)
	}
	return buf
}

// appendPercentEscaped appends s with every '%' as "%25".
func appendPercentEscaped(buf []byte, s string) []byte {
	n := len(s) + 2*strings.Count(s, "%")
	buf = slices.Grow(buf, n)
	j := len(buf)
	buf = buf[:j+n]
	for i := 0; i < len(s); i++ {
		c := s[i]
		buf[j] = c
		j++
		if c == '%' {
			buf[j], buf[j+1] = '2', '5'
			j += 2
		}
	}
	return buf
}

// V2Sign returns base64(HMAC-SHA1(secret+"&", stringToSign)).
func V2Sign(secret, stringToSign string) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
