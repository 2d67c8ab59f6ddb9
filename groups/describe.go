package groups

import (
	"sort"
	"strings"
)

// Describe renders a group's criteria on one line, e.g.
// `type=aws.s3.bucket tags.Environment=prod|staging expr: ...`.
func Describe(g Group) string {
	var parts []string
	if len(g.Types) > 0 {
		parts = append(parts, "type="+strings.Join(g.Types, "|"))
	}
	keys := make([]string, 0, len(g.Match))
	for k := range g.Match {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+strings.Join(g.Match[k], "|"))
	}
	if g.Expr != "" {
		parts = append(parts, "expr: "+g.Expr)
	}
	if len(parts) == 0 {
		return "every asset"
	}
	return strings.Join(parts, " ")
}
