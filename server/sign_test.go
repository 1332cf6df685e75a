package server

import (
	"encoding/base64"
	"encoding/hex"
	"testing"

	"github.com/flowtui/flowtui/client/sign"
)

func TestPooledMACsSignLikeTheSigner(t *testing.T) {
	s, err := New(Config{AccessKeyID: testKeyID, AccessKeySecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, sts := range []string{"", "GET&%2F&a%3Db", "ACS3-HMAC-SHA256\nabc"} {
		for range 2 { // a pooled hash is reset between uses
			if got, want := base64.StdEncoding.EncodeToString(macSum(&s.v2mac, sts)), sign.V2Sign(testSecret, sts); got != want {
				t.Fatalf("V2 %q: %s, want %s", sts, got, want)
			}
			if got, want := hex.EncodeToString(macSum(&s.v3mac, sts)), sign.V3Sign(testSecret, sts); got != want {
				t.Fatalf("V3 %q: %s, want %s", sts, got, want)
			}
		}
	}
}
