package engine

import (
	"strings"
	"testing"
)

// nested is a definition whose constructor nests n lists.
func nested(n int) string {
	return flow("A", `
- Type: Pass
  Name: A
  OutputConstructor:
    a: `+strings.Repeat("[", n)+strings.Repeat("]", n)+`
  End: true`)
}

func TestDeeplyNestedBracketsAreRefusedWithTheirPlace(t *testing.T) {
	// 16 KiB of brackets kept the YAML scanner busy for half a second.
	for _, load := range []func(string) error{
		func(src string) error { _, err := Parse("deep.yaml", []byte(src)); return err },
		func(src string) error { return loadFlow("deep.yaml", []byte(src)).err },
	} {
		err := load(nested(8000))
		ps := problems(t, err)
		if len(ps) != 1 || !strings.Contains(ps[0].Msg, "more than 128 levels") || ps[0].Pos != (Pos{9, 10 + maxNesting}) {
			t.Errorf("problems = %v; want one at 9:%d saying the nesting passes 128 levels", ps, 10+maxNesting)
		}
	}
	if _, err := Parse("ok.yaml", []byte(nested(maxNesting))); err != nil {
		t.Errorf("%d levels refused: %v", maxNesting, err)
	}
}

func TestBracketsInCommentsDoNotCountAsNesting(t *testing.T) {
	src := nested(2) + "# " + strings.Repeat("[", 500) + "\n"
	if _, err := Parse("ok.yaml", []byte(src)); err != nil {
		t.Errorf("brackets in a comment refused: %v", err)
	}
}
