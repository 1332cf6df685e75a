package engine

import (
	"regexp"
	"testing"
)

func TestIDsAreVersion4UUIDs(t *testing.T) {
	upper := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	lower := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		r, id := NewRequestID(), NewID()
		if !upper.MatchString(r) || !lower.MatchString(id) || seen[r] || seen[id] {
			t.Fatalf("request id %s, id %s", r, id)
		}
		seen[r], seen[id] = true, true
	}
}
