package omni

import (
	"strings"
	"time"
)

// DefaultLimit is how many ranked hits a query returns when Limit is 0.
const DefaultLimit = 200

// Facets narrow a search to one type, account or region, to items with or
// without open violations, or to one kind. Empty fields and nil pointers
// match all.
type Facets struct {
	Type, Account, Region string
	HasViolations         *bool
	Kind                  *Kind
}

// Query is what the operator typed plus the chosen facets. Text is
// space-separated terms: each term must match fuzzily (its characters in
// order, case-insensitive); a term "!word" excludes lines containing word.
type Query struct {
	Text   string
	Facets Facets
	Limit  int // top results wanted; DefaultLimit when 0
}

// Hit is one ranked match. Matched holds rune positions in Line to highlight.
type Hit struct {
	Item    *Item
	Score   int
	Matched []int
	Line    string
}

// Result is the answer to a query: the top hits, best first (index order
// when the query has no fuzzy term), and how many items matched in all.
type Result struct {
	Hits    []Hit
	Total   int // matches before Limit
	Elapsed time.Duration
	// Cancelled is true when the context ended first; Hits and Total then
	// cover only the part searched.
	Cancelled bool
}

// parsed is a query split into lower-cased fuzzy and exclusion terms.
type parsed struct {
	terms    []string // fuzzy terms, lower-cased
	excludes []string // substrings that exclude a line, lower-cased
	// whole[i] bounds the score of terms[i] plus the line's length on a
	// line that holds the term as a substring; split[i] on one that does
	// not (so at least one byte is not adjacent to the one before). A line
	// whose bound is no better than the worst hit kept need not be scored.
	whole, split []int
	// noPrune: a term is longer than maxPruneTerm, so bounds would overflow.
	noPrune bool
}

// maxPruneTerm is the longest term whose score bound is computed.
const maxPruneTerm = 30

func parseText(text string) parsed {
	var p parsed
	for _, f := range strings.Fields(text) {
		if strings.HasPrefix(f, "!") {
			if len(f) > 1 {
				p.excludes = append(p.excludes, lowerString(f[1:]))
			}
			continue
		}
		t := lowerString(f)
		p.terms = append(p.terms, t)
		if len(t) > maxPruneTerm {
			p.noPrune = true
			p.whole, p.split = append(p.whole, 0), append(p.split, 0)
			continue
		}
		p.whole = append(p.whole, maxBonus(len(t), len(t)-1)+len(t))
		p.split = append(p.split, maxBonus(len(t), max(len(t)-2, 0))+len(t))
	}
	return p
}

func (q Query) limit() int {
	if q.Limit <= 0 {
		return DefaultLimit
	}
	return q.Limit
}

// narrows reports whether every item matching next also matches prev, so a
// search for next may scan only prev's matches: the text grew by appending
// (without lengthening an exclusion term, which would exclude less) and each
// facet of prev is unset or equal in next.
func narrows(prev, next Query) bool {
	if !strings.HasPrefix(next.Text, prev.Text) {
		return false
	}
	if next.Text != prev.Text {
		fields := strings.Fields(prev.Text)
		endsInTerm := prev.Text != "" && !strings.HasSuffix(prev.Text, " ") && len(fields) > 0
		appendedToTerm := !strings.HasPrefix(next.Text[len(prev.Text):], " ")
		if endsInTerm && appendedToTerm {
			last := fields[len(fields)-1]
			if strings.HasPrefix(last, "!") && len(last) > 1 {
				return false
			}
		}
	}
	a, b := prev.Facets, next.Facets
	if (a.Type != "" && a.Type != b.Type) || (a.Account != "" && a.Account != b.Account) ||
		(a.Region != "" && a.Region != b.Region) {
		return false
	}
	if a.HasViolations != nil && (b.HasViolations == nil || *a.HasViolations != *b.HasViolations) {
		return false
	}
	if a.Kind != nil && (b.Kind == nil || *a.Kind != *b.Kind) {
		return false
	}
	return true
}
