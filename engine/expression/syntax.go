package expression

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/parser/lexer"
)

const (
	// maxSourceLen bounds what a single expression may cost to compile.
	maxSourceLen = 64 << 10
	// maxBracketDepth stops pathological nesting before expr's recursive
	// descent parser sees it: parentheses create no AST nodes, so the
	// node limit alone would not bound the parser's stack.
	maxBracketDepth = 100
	// maxCallDepth is CloudFlow's documented limit on nested built-ins.
	maxCallDepth = 10
)

// bannedOperators are expr-lang operators and keywords outside CloudFlow's
// grammar, each with the hint an author needs.
var bannedOperators = map[string]string{
	"?":          "the ternary operator ?: is not supported",
	"??":         "the ?? operator is not supported",
	"?.":         "?. is not supported (missing fields are already null; use .)",
	"|":          "pipes (|) are not supported",
	";":          "sequences (;) are not supported",
	"..":         "ranges (..) are not supported",
	"**":         "the ** operator is not supported",
	"^":          "the ^ operator is not supported",
	"#":          "closures and predicates (#) are not supported",
	"::":         ":: is not supported",
	"=":          "assignment (=) is not supported; use == to compare",
	"&":          "& is not supported; use && for logical and",
	"not":        "the not keyword is not supported; use !",
	"and":        "the and keyword is not supported; use &&",
	"or":         "the or keyword is not supported; use ||",
	"matches":    "the matches operator is not supported; use regexMatchString(pattern, text)",
	"contains":   "the contains operator is not supported; use in or arrayContains",
	"startsWith": "the startsWith operator is not supported; use regexMatchString",
	"endsWith":   "the endsWith operator is not supported; use regexMatchString",
	"let":        "let is not supported",
	"if":         "if/else is not supported",
	"else":       "if/else is not supported",
}

// plainNumber is the JSON-like number syntax; expr also lexes hex, octal,
// binary and 1_000 forms, which CloudFlow does not document.
var plainNumber = regexp.MustCompile(`^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// scanTokens rejects, with a precise column, the lexical forms expr-lang
// accepts but CloudFlow does not. It runs before parsing so that the parser
// never sees unbounded bracket nesting. It returns the text to parse: src,
// with each integer literal beyond int64 (which expr cannot parse) masked as
// a float of the same length, which the rewrite reads back from src.
func scanTokens(src string) (string, *Error) {
	tokens, err := lexer.Lex(file.NewSource(src))
	if err != nil {
		return "", fromExprError(src, err)
	}
	runes := []rune(src)
	var masked []rune
	var stack []string // open brackets
	prevEnd := 0
	for i, t := range tokens {
		if t.Kind == lexer.EOF {
			break
		}
		if off, found := firstNonSpace(runes, prevEnd, t.From); found {
			return "", errAt(src, off, "comments are not supported")
		}
		prevEnd = t.To
		afterDot := i > 0 && tokens[i-1].Kind == lexer.Operator && tokens[i-1].Value == "."
		switch t.Kind {
		case lexer.Bytes:
			return "", errAt(src, t.From, `byte strings (b"…") are not supported`)
		case lexer.Number:
			if !plainNumber.MatchString(t.Value) {
				return "", errAt(src, t.From, "unsupported number literal "+t.Value+" (use plain decimal numbers)")
			}
			if bigIntLiteral(t.Value) {
				if masked == nil {
					masked = slices.Clone(runes)
				}
				copy(masked[t.From:t.To], []rune("1e"+strings.Repeat("0", t.To-t.From-2)))
			}
		case lexer.Operator:
			if afterDot {
				break // a property name such as $Input.not
			}
			if msg, banned := bannedOperators[t.Value]; banned {
				return "", errAt(src, t.From, msg)
			}
			if t.Value == ":" {
				if len(stack) == 0 || stack[len(stack)-1] != "{" {
					if len(stack) > 0 && stack[len(stack)-1] == "[" {
						return "", errAt(src, t.From, "slices ([a:b]) are not supported")
					}
					return "", errAt(src, t.From, `unexpected ":"`)
				}
			}
		case lexer.Bracket:
			switch t.Value {
			case "(", "[", "{":
				stack = append(stack, t.Value)
				if len(stack) > maxBracketDepth {
					return "", errAt(src, t.From, "brackets nest too deeply")
				}
			default:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
		}
	}
	if off, found := firstNonSpace(runes, prevEnd, len(runes)); found {
		return "", errAt(src, off, "comments are not supported")
	}
	if masked != nil {
		return string(masked), nil
	}
	return src, nil
}

// bigIntLiteral reports whether a plain number literal is an integer
// beyond int64.
func bigIntLiteral(s string) bool {
	if strings.ContainsAny(s, ".eE") {
		return false
	}
	_, err := strconv.ParseInt(s, 10, 64)
	return err != nil
}

// firstNonSpace finds text the lexer skipped between tokens, which can
// only be a comment. Offsets are in runes because expr's locations are.
func firstNonSpace(runes []rune, from, to int) (int, bool) {
	for i := max(from, 0); i < min(to, len(runes)); i++ {
		if !unicode.IsSpace(runes[i]) {
			return i, true
		}
	}
	return 0, false
}

// errAt builds an *Error at a 0-based rune offset.
func errAt(src string, offset int, msg string) *Error {
	return &Error{Expr: src, Column: offset + 1, Msg: msg}
}
