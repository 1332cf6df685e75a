package common

import "strings"

// CommandLine joins arguments into one line for a POSIX shell, each quoted
// by ShellQuote: the command lines flowtui shows for copying.
func CommandLine(args ...string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = ShellQuote(a)
	}
	return strings.Join(out, " ")
}

// ShellQuote makes s one word of a POSIX shell command line, taken literally:
// left bare when it holds only characters no shell treats specially, else in
// single quotes, inside which nothing is special; a single quote is written
// '\” (close, an escaped quote, reopen).
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:,@", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
