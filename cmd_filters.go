package main

import (
	"fmt"
	"sort"
	"strings"
)

// checkChoice refuses a filter value that names nothing vigil knows (exit
// 2, with the closest known value), so a typo in a CI gate fails instead
// of printing an empty list that passes.
func checkChoice(flag, got string, known []string) error {
	if got == "" {
		return nil
	}
	for _, k := range known {
		if k == got {
			return nil
		}
	}
	best, bestD := "", max(3, len(got)/3+1)
	for _, k := range known {
		if d := editDistance(strings.ToLower(got), strings.ToLower(k)); d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" {
		return &exitError{code: exitUsage, err: fmt.Errorf("--%s %s: no such value (did you mean %q?)", flag, got, best)}
	}
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	if len(sorted) > 12 {
		sorted = append(sorted[:12], "…")
	}
	return &exitError{code: exitUsage, err: fmt.Errorf("--%s %s: no such value (known: %s)", flag, got, strings.Join(sorted, ", "))}
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
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
