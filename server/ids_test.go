package server

import (
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client/sign"
	"github.com/flowtui/flowtui/fnf"
)

func TestFormatTimeWritesWhatTheClientWrites(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2019, 1, 1, 1, 1, 1, 1_000_000, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("CST", 8*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(),
	} {
		if got, want := formatTime(tm), fnf.FormatTime(tm); got != want {
			t.Errorf("formatTime(%v) = %s, want %s", tm, got, want)
		}
	}
}

func TestIDsAreVersion4UUIDs(t *testing.T) {
	upper := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	lower := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		r, id := newRequestID(), newID()
		if !upper.MatchString(r) || !lower.MatchString(id) || seen[r] || seen[id] {
			t.Fatalf("request id %s, id %s", r, id)
		}
		seen[r], seen[id] = true, true
	}
}

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
