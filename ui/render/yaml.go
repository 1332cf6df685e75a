package render

import (
	"strings"

	"github.com/flowtui/flowtui/ui/theme"
)

// HighlightYAML colours YAML text line by line: mapping keys, quoted and plain
// scalars, numbers and the literals (true, false, null, ~), comments, the
// punctuation of sequences and flow collections, and block scalars (| and >)
// as strings. It is a highlighter, not a parser: text it cannot read is kept
// uncoloured, and ansi.Strip of the result is always text.
func HighlightYAML(st *theme.Styles, text string) string {
	p := newPalette(st)
	var b strings.Builder
	b.Grow(len(text) * 3)
	block := -1 // indentation a line must exceed to belong to a block scalar
	for n, line := range strings.Split(text, "\n") {
		if n > 0 {
			b.WriteByte('\n')
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if block >= 0 {
			if strings.TrimSpace(line) == "" || indent > block {
				p.str.WriteString(&b, line)
				continue
			}
			block = -1
		}
		b.WriteString(line[:indent])
		block = p.yamlLine(&b, line[indent:], indent)
	}
	return b.String()
}

// yamlLine writes one line after its indentation; it returns the indentation
// that following lines must exceed when the line opens a block scalar, else -1.
func (p palette) yamlLine(b *strings.Builder, rest string, col int) int {
	if rest == "" {
		return -1
	}
	if rest[0] == '#' {
		p.comment.WriteString(b, rest)
		return -1
	}
	if rest == "---" || rest == "..." {
		p.punct.WriteString(b, rest)
		return -1
	}
	node := col // column of the node a block scalar would belong to
	for rest == "-" || strings.HasPrefix(rest, "- ") {
		p.punct.WriteString(b, "-")
		rest = rest[1:]
		sp := len(rest) - len(strings.TrimLeft(rest, " "))
		b.WriteString(rest[:sp])
		node = col
		col += 1 + sp
		rest = rest[sp:]
	}
	if k := keyEnd(rest); k > 0 {
		p.key.WriteString(b, rest[:k])
		p.punct.WriteString(b, ":")
		rest = rest[k+1:]
		node = col
	}
	return p.yamlValue(b, rest, node)
}

// keyEnd returns the length of the mapping key that rest starts with (the
// index of its ':'), or 0 when rest is not "key: value".
func keyEnd(rest string) int {
	i := 0
	if rest != "" && (rest[0] == '"' || rest[0] == '\'') {
		i = quotedEnd(rest)
	} else {
		for i < len(rest) {
			c := rest[i]
			if c == ':' && (i+1 == len(rest) || rest[i+1] == ' ') {
				break
			}
			if c == '#' && i > 0 && rest[i-1] == ' ' || i == 0 && (c == '{' || c == '[' || c == '|' || c == '>') {
				return 0
			}
			i++
		}
	}
	if i == 0 || i >= len(rest) || rest[i] != ':' || i+1 < len(rest) && rest[i+1] != ' ' {
		return 0
	}
	return i
}

// quotedEnd returns the index after the quoted scalar rest starts with.
func quotedEnd(rest string) int {
	q := rest[0]
	for j := 1; j < len(rest); j++ {
		switch {
		case q == '"' && rest[j] == '\\':
			j++
		case rest[j] == q:
			if q == '\'' && j+1 < len(rest) && rest[j+1] == '\'' {
				j++ // '' is a quote inside a single-quoted scalar
				continue
			}
			return j + 1
		}
	}
	return len(rest)
}

// yamlValue writes a value and what follows it on the line.
func (p palette) yamlValue(b *strings.Builder, rest string, node int) int {
	sp := len(rest) - len(strings.TrimLeft(rest, " "))
	b.WriteString(rest[:sp])
	rest = rest[sp:]
	if rest == "" {
		return -1
	}
	switch c := rest[0]; {
	case c == '#':
		p.comment.WriteString(b, rest)
	case c == '"' || c == '\'':
		j := quotedEnd(rest)
		p.str.WriteString(b, rest[:j])
		p.trailer(b, rest[j:])
	case c == '|' || c == '>':
		j := 1
		for j < len(rest) && strings.IndexByte("+-0123456789", rest[j]) >= 0 {
			j++
		}
		p.punct.WriteString(b, rest[:j])
		p.trailer(b, rest[j:])
		return node
	case c == '{' || c == '[':
		p.flow(b, rest)
	default:
		end := len(rest)
		if i := strings.Index(rest, " #"); i >= 0 {
			end = i
		}
		v := strings.TrimRight(rest[:end], " ")
		p.scalar(v).WriteString(b, v)
		p.trailer(b, rest[len(v):])
	}
	return -1
}

// trailer writes what follows a value: spaces and a comment, or text it does
// not read.
func (p palette) trailer(b *strings.Builder, rest string) {
	t := strings.TrimLeft(rest, " ")
	b.WriteString(rest[:len(rest)-len(t)])
	if strings.HasPrefix(t, "#") {
		p.comment.WriteString(b, t)
		return
	}
	b.WriteString(t)
}

// flow writes a flow collection ({a: 1, b: [x, "y"]}) token by token.
func (p palette) flow(b *strings.Builder, rest string) {
	for i := 0; i < len(rest); {
		c := rest[i]
		switch {
		case strings.IndexByte("{}[],:", c) >= 0:
			p.punct.WriteString(b, rest[i:i+1])
			i++
		case c == ' ':
			b.WriteByte(' ')
			i++
		case c == '#' && i > 0 && rest[i-1] == ' ':
			p.comment.WriteString(b, rest[i:])
			return
		case c == '"' || c == '\'':
			j := i + quotedEnd(rest[i:])
			k := j
			for k < len(rest) && rest[k] == ' ' {
				k++
			}
			if k < len(rest) && rest[k] == ':' {
				p.key.WriteString(b, rest[i:j])
			} else {
				p.str.WriteString(b, rest[i:j])
			}
			i = j
		default:
			j := i
			for j < len(rest) && strings.IndexByte("{}[],", rest[j]) < 0 &&
				!(rest[j] == ':' && (j+1 == len(rest) || rest[j+1] == ' ')) {
				j++
			}
			v := strings.TrimRight(rest[i:j], " ")
			if j < len(rest) && rest[j] == ':' {
				p.key.WriteString(b, v)
			} else {
				p.scalar(v).WriteString(b, v)
			}
			b.WriteString(rest[i+len(v) : j])
			i = j
		}
	}
}

// scalar picks the colour of a plain scalar.
func (p palette) scalar(v string) paint {
	switch v {
	case "true", "false", "True", "False", "TRUE", "FALSE", "null", "Null", "NULL", "~":
		return p.lit
	}
	if isNumber(v) {
		return p.num
	}
	return p.str
}

func isNumber(v string) bool {
	if v == "" {
		return false
	}
	digits := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digits = true
		case c == '-' || c == '+':
			if i > 0 && v[i-1] != 'e' && v[i-1] != 'E' {
				return false
			}
		case c == '.' || c == 'e' || c == 'E' || c == '_':
		default:
			return false
		}
	}
	return digits
}
