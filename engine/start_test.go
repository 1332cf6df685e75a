package engine

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/client"
)

// The fast accept of the front door never lets through what the service's
// rules refuse.
func TestStartChecksAgreeWithTheServiceRules(t *testing.T) {
	for _, name := range []string{"a", "_", "A-1_b", "1a", "-a", "a b", "ä", "", strings.Repeat("a", 128), strings.Repeat("a", 129), "a:b"} {
		if got, want := validName(name), client.ValidateName("x", name) == nil; got != want {
			t.Errorf("validName(%q) = %v; the service's rule says %v", name, got, want)
		}
	}
	big := `{"a":"` + strings.Repeat("x", client.MaxInputBytes) + `"}`
	for _, in := range []string{"", " ", `{}`, ` {"a":1}`, `{"a":`, `[1]`, `"s"`, "{\"a\":\"\xff\"}", "\xef\xbb\xbf{}", big} {
		if got, want := checkInput(in) == nil, client.CheckInput([]byte(in)) == nil; got != want {
			t.Errorf("checkInput(%.20q) accepts = %v; the service's rule says %v", in, got, want)
		}
	}
}
