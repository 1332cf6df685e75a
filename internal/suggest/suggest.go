// Package suggest finds the word someone most likely meant: the "did you
// mean" of the flow files' and the test files' unknown keys.
package suggest

import "strings"

// Nearest is the word of known closest to k, ignoring case, where a swap of
// two neighbouring letters counts as one edit ("stauts" is one from
// "status"), and whether it is close enough to suggest: within
// max(2, len(k)/4) edits. Ties go to the earlier word of known.
func Nearest(k string, known []string) (string, bool) {
	best, bestD := "", 0
	for _, c := range known {
		d := Distance(k, c)
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	return best, best != "" && bestD <= max(2, len(k)/4)
}

// Distance is the optimal string alignment distance of a and b, in bytes,
// ignoring case: an insertion, a deletion, a change or a swap of two
// neighbours is one edit.
func Distance(a, b string) int {
	a, b = strings.ToLower(a), strings.ToLower(b)
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
