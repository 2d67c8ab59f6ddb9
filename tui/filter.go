package tui

import "strings"

// filterQuery is a parsed list filter: substring terms that must all match,
// `!term` terms that must not, and `column:value` terms that look at one
// column only. Matching is case-insensitive.
type filterQuery struct {
	terms []filterTerm
}

type filterTerm struct {
	col    string
	value  string
	negate bool
}

// parseFilter parses the text typed after F.
func parseFilter(s string) filterQuery {
	var q filterQuery
	for _, f := range strings.Fields(strings.ToLower(s)) {
		t := filterTerm{}
		if strings.HasPrefix(f, "!") {
			t.negate = true
			f = f[1:]
		}
		if i := strings.IndexByte(f, ':'); i > 0 && i < len(f)-1 {
			t.col, f = f[:i], f[i+1:]
		}
		if f == "" {
			continue
		}
		t.value = f
		q.terms = append(q.terms, t)
	}
	return q
}

// empty reports whether the filter selects everything.
func (q filterQuery) empty() bool { return len(q.terms) == 0 }

// uses reports whether a term looks at the column named col (lower-cased):
// one naming it, or one naming no column.
func (q filterQuery) uses(col string) bool {
	for _, t := range q.terms {
		if t.col == "" || strings.HasPrefix(col, t.col) {
			return true
		}
	}
	return false
}

// match reports whether a row (column names and lower-cased values) passes.
func (q filterQuery) match(cols []string, vals []string) bool {
	for _, t := range q.terms {
		hit := false
		for i, v := range vals {
			if t.col != "" && (i >= len(cols) || !strings.HasPrefix(cols[i], t.col)) {
				continue
			}
			if strings.Contains(v, t.value) {
				hit = true
				break
			}
		}
		if hit == t.negate {
			return false
		}
	}
	return true
}
