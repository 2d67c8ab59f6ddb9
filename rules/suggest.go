package rules

import (
	"fmt"
	"sort"
	"strings"
)

// suggest returns ` (did you mean "x"?)` for the closest known word.
func suggest(got string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := levenshtein(strings.ToLower(got), k); d < bestD {
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

func levenshtein(a, b string) int {
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

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// normaliseMap converts YAML-decoded numbers to the document contract:
// integers as int64, nested maps and lists recursively.
func normaliseMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	for k, v := range m {
		m[k] = normalise(v)
	}
	return m
}

func normalise(v any) any {
	switch t := v.(type) {
	case int:
		return int64(t)
	case map[string]any:
		return normaliseMap(t)
	case map[any]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[fmt.Sprint(k)] = normalise(e)
		}
		return out
	case []any:
		for i, e := range t {
			t[i] = normalise(e)
		}
		return t
	}
	return v
}
