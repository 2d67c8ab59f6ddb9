// Package didyoumean suggests the known word closest to a mistyped one, for
// errors that name an unknown field (policy files, the config file).
package didyoumean

import (
	"fmt"
	"sort"
	"strings"
)

// Suggest returns ` (did you mean "x"?)` for the known word within two
// edits of got, else the list of known words.
func Suggest(got string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := Distance(strings.ToLower(got), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		sorted := append([]string(nil), known...)
		sort.Strings(sorted)
		return " (known fields: " + strings.Join(sorted, ", ") + ")"
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// Distance is the Levenshtein distance of two strings (bytes).
func Distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
