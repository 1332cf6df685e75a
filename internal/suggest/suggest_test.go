package suggest

import "testing"

func TestNearestSuggestsWhatWasMostLikelyMeant(t *testing.T) {
	keys := []string{"Seconds", "Status", "StartAt", "Next"}
	for _, c := range []struct {
		typed, want string
		ok          bool
	}{
		{"stauts", "Status", true}, // a swap is one edit
		{"seconds", "Seconds", true},
		{"Nxet", "Next", true},
		{"Completely", "", false},
	} {
		got, ok := Nearest(c.typed, keys)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("Nearest(%q) = %q, %v; want %q, %v", c.typed, got, ok, c.want, c.ok)
		}
	}
}
