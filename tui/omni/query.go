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

// Query is what the operator typed plus the chosen facets. Text follows
// fzf's extended search syntax: space-separated terms that must all match,
// each on its own. A plain term matches its letters in order within one
// word of the line (case-insensitive); 'term matches it as a substring,
// ^term at the start of a word, term$ at the end of one, ^term$ a whole
// word; !term (also !^term, !term$) excludes lines that hold it; a | b
// matches either term.
type Query struct {
	Text   string
	Facets Facets
	Limit  int // top results wanted; DefaultLimit when 0
}

// Hit is one ranked match. Matched holds rune positions in Line to
// highlight; Field names the field the query's first term matched in
// ("name", "id", "type", "account", "region", "tags.<key>").
type Hit struct {
	Item    *Item
	Score   int
	Matched []int
	Line    string
	Field   string
}

// Result is the answer to a query: the top hits, best first (index order
// when the query has no positive term), and how many lines matched in all.
type Result struct {
	Hits    []Hit
	Total   int // lines that match, before Limit
	Elapsed time.Duration
	// Cancelled is true when the context ended first; Hits and Total then
	// cover only the part searched.
	Cancelled bool
}

// matchMode says how one term matches a line.
type matchMode uint8

// The term modes of the extended syntax.
const (
	modeFuzzy  matchMode = iota // letters in order within one word
	modeExact                   // 'term: a substring
	modePrefix                  // ^term: a substring starting a word
	modeSuffix                  // term$: a substring ending a word
	modeWord                    // ^term$: a whole word
)

// alt is one lower-cased term and how it matches.
type alt struct {
	text string
	mode matchMode
}

// group is a term with its `|` alternatives: a line matches when any does.
type group []alt

// parsed is a query's text split into groups that must all match and
// exclusions of which none may match.
type parsed struct {
	terms    []group
	excludes []alt
}

// parseText parses the extended syntax. A term that is only an operator
// ("'", "^", "!", "$") is ignored, so typing one never empties the result;
// a `|` with no term on one side is ignored too.
func parseText(text string) parsed {
	var p parsed
	orNext := false
	for _, f := range strings.Fields(text) {
		if f == "|" {
			orNext = len(p.terms) > 0
			continue
		}
		neg := strings.HasPrefix(f, "!")
		if neg {
			f = f[1:]
		}
		a, ok := parseTerm(f, neg)
		if !ok {
			continue
		}
		switch {
		case neg:
			p.excludes = append(p.excludes, a)
		case orNext:
			last := len(p.terms) - 1
			p.terms[last] = append(p.terms[last], a)
		default:
			p.terms = append(p.terms, group{a})
		}
		orNext = false
	}
	return p
}

// parseTerm reads one term's operators. An excluded term without ^ or $ is
// a substring, as in fzf.
func parseTerm(f string, neg bool) (alt, bool) {
	mode := modeFuzzy
	if neg {
		mode = modeExact
	}
	switch {
	case strings.HasPrefix(f, "'"):
		f, mode = f[1:], modeExact
	case strings.HasPrefix(f, "^"):
		f, mode = f[1:], modePrefix
	}
	if len(f) > 1 && strings.HasSuffix(f, "$") {
		f = f[:len(f)-1]
		if mode == modePrefix {
			mode = modeWord
		} else {
			mode = modeSuffix
		}
	}
	if f == "" || f == "$" {
		return alt{}, false
	}
	return alt{text: lowerString(f), mode: mode}, true
}

func (q Query) limit() int {
	if q.Limit <= 0 {
		return DefaultLimit
	}
	return q.Limit
}

// narrows reports whether every item matching next also matches prev, so a
// search for next may scan only prev's matches: each of prev's terms is
// implied by next's term in its place, prev's exclusions are all still
// there, and each facet of prev is unset or equal in next.
func narrows(prev, next Query) bool {
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
	return parsedNarrows(parseText(prev.Text), parseText(next.Text))
}

func parsedNarrows(prev, next parsed) bool {
	if len(next.terms) < len(prev.terms) {
		return false
	}
	for k, g := range prev.terms {
		if !groupImplies(next.terms[k], g) {
			return false
		}
	}
	for _, x := range prev.excludes {
		found := false
		for _, y := range next.excludes {
			found = found || x == y
		}
		if !found {
			return false
		}
	}
	return true
}

// groupImplies reports whether a line matching g matches prev: every
// alternative of g implies one of prev's.
func groupImplies(g, prev group) bool {
	for _, n := range g {
		ok := false
		for _, p := range prev {
			ok = ok || altImplies(n, p)
		}
		if !ok {
			return false
		}
	}
	return true
}

// altImplies reports whether a line that n matches is matched by p.
func altImplies(n, p alt) bool {
	switch p.mode {
	case modeFuzzy:
		// n's text lies within one word (terms have no spaces); p's
		// letters in order within n's text are then within that word.
		return isSubsequence(p.text, n.text)
	case modeExact:
		return n.mode != modeFuzzy && strings.Contains(n.text, p.text)
	case modePrefix:
		return (n.mode == modePrefix || n.mode == modeWord) && strings.HasPrefix(n.text, p.text)
	case modeSuffix:
		return (n.mode == modeSuffix || n.mode == modeWord) && strings.HasSuffix(n.text, p.text)
	default:
		return n == p
	}
}

func isSubsequence(sub, s string) bool {
	for k := 0; k < len(sub); k++ {
		i := strings.IndexByte(s, sub[k])
		if i < 0 {
			return false
		}
		s = s[i+1:]
	}
	return true
}
