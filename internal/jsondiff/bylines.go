package jsondiff

import (
	"bytes"
	"fmt"
	"strings"
)

// Bounds of ByLine.
const (
	// MaxLines is the most lines, both sides together, that ByLine
	// compares once the common head and tail are set aside.
	MaxLines = 20000
	// maxEdits bounds the edit distance the line diff searches for; beyond it
	// the differing middle is shown as removed, then added.
	maxEdits = 1000
)

// TooLargeError is ByLine's answer for outputs too large to diff line by line.
type TooLargeError struct{ A, B int }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("outputs differ, %d lines vs %d: too many to compare line by line (limit %d)", e.A, e.B, MaxLines)
}

// ByLine compares two outputs line by line (for outputs that are not
// JSON; see Outputs). The lines are not sanitised. Past MaxLines
// differing lines it returns a *TooLargeError.
func ByLine(a, b []byte) ([]Line, error) {
	la, lb := textLines(a), textLines(b)
	head := 0
	for head < len(la) && head < len(lb) && la[head] == lb[head] {
		head++
	}
	tail := 0
	for tail < len(la)-head && tail < len(lb)-head && la[len(la)-1-tail] == lb[len(lb)-1-tail] {
		tail++
	}
	ma, mb := la[head:len(la)-tail], lb[head:len(lb)-tail]
	if len(ma)+len(mb) > MaxLines {
		return nil, &TooLargeError{A: len(la), B: len(lb)}
	}
	out := make([]Line, 0, len(la)+len(mb))
	for _, l := range la[:head] {
		out = append(out, Line{Op: ' ', Left: l, Right: l})
	}
	for _, op := range lineDiff(ma, mb) {
		switch op.op {
		case ' ':
			out = append(out, Line{Op: ' ', Left: ma[op.a], Right: mb[op.b]})
		case '-':
			out = append(out, Line{Op: '-', Left: ma[op.a]})
		case '+':
			out = append(out, Line{Op: '+', Right: mb[op.b]})
		}
	}
	for _, l := range la[len(la)-tail:] {
		out = append(out, Line{Op: ' ', Left: l, Right: l})
	}
	return out, nil
}

// textLines is b split into lines, without surrounding white space.
func textLines(b []byte) []string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\n")
}

type edit struct {
	op   byte
	a, b int // line indexes in the old and new side
}

// lineDiff is Myers' O((N+M)D) diff of two line lists. When the edit distance
// exceeds maxEdits it gives up on a minimal script: all of a removed, then all
// of b added.
func lineDiff(a, b []string) []edit {
	ids := make(map[string]int, len(a)+len(b))
	x := intern(a, ids)
	y := intern(b, ids)
	n, m := len(x), len(y)
	if n == 0 && m == 0 {
		return nil
	}
	maxD := min(n+m, maxEdits)
	off := maxD + 1
	v := make([]int32, 2*off+1)
	var trace [][]int32
	found := -1
	for d := 0; d <= maxD && found < 0; d++ {
		trace = append(trace, append([]int32(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				i = int(v[off+k+1]) // down: insertion
			} else {
				i = int(v[off+k-1]) + 1 // right: deletion
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[off+k] = int32(i)
			if i >= n && j >= m {
				found = d
				break
			}
		}
	}
	if found < 0 {
		out := make([]edit, 0, n+m)
		for i := range n {
			out = append(out, edit{op: '-', a: i})
		}
		for j := range m {
			out = append(out, edit{op: '+', b: j})
		}
		return out
	}
	// Walk back from (n, m): trace[d] is v as round d found it, k at k+d.
	var rev []edit
	i, j := n, m
	for d := found; d > 0; d-- {
		prev := trace[d]
		k := i - j
		pk := k - 1 // reached by a deletion
		if k == -d || k != d && prev[k-1+d] < prev[k+1+d] {
			pk = k + 1 // reached by an insertion
		}
		pi := int(prev[pk+d])
		pj := pi - pk
		for i > pi && j > pj {
			i, j = i-1, j-1
			rev = append(rev, edit{op: ' ', a: i, b: j})
		}
		if pk == k+1 {
			rev = append(rev, edit{op: '+', b: pj})
		} else {
			rev = append(rev, edit{op: '-', a: pi})
		}
		i, j = pi, pj
	}
	for i > 0 && j > 0 {
		i, j = i-1, j-1
		rev = append(rev, edit{op: ' ', a: i, b: j})
	}
	for l, r := 0, len(rev)-1; l < r; l, r = l+1, r-1 {
		rev[l], rev[r] = rev[r], rev[l]
	}
	return rev
}

func intern(lines []string, ids map[string]int) []int {
	out := make([]int, len(lines))
	for i, l := range lines {
		id, ok := ids[l]
		if !ok {
			id = len(ids)
			ids[l] = id
		}
		out[i] = id
	}
	return out
}
