package history

import "testing"

// A search of punctuation alone has no word for the full-text index to look
// up; run, it matched every run, as if it filtered nothing.
func TestASearchWithoutAWordIsRefused(t *testing.T) {
	for _, s := range []string{"%", `"`, "'", "*", "_", "% -- *"} {
		if CheckSearch(s) == nil {
			t.Errorf("%q accepted", s)
		}
	}
	for _, s := range []string{"", "  ", "A-1001", "paid*", "é", "card.declined"} {
		if err := CheckSearch(s); err != nil {
			t.Errorf("%q refused: %v", s, err)
		}
	}
}
