package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/didyoumean"
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
		if d := didyoumean.Distance(strings.ToLower(got), strings.ToLower(k)); d < bestD {
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
