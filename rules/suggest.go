package rules

import (
	"fmt"

	"github.com/vigil-sec/vigil/internal/didyoumean"
)

// suggest returns ` (did you mean "x"?)` for the closest known word.
func suggest(got string, known []string) string { return didyoumean.Suggest(got, known) }

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
