package common

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
)

// maxErrBytes caps how much of an error a pane wraps and shows: a huge
// message (a whole HTML page from a proxy) costs no more than this.
const maxErrBytes = 4 << 10

// ErrorLines is err as a pane shows it in place of its list: cut to
// maxErrBytes, sanitised, wrapped at width w.
func ErrorLines(err error, w int) []string {
	if err == nil {
		return nil
	}
	text := sanitize.Text(Clip(err.Error(), maxErrBytes))
	return strings.Split(ansi.Wrap(text, max(1, w), ""), "\n")
}

// Clip cuts s to at most n bytes, on a character boundary, marking the cut
// with "…".
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}
