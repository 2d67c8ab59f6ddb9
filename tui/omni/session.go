package omni

import (
	"context"
	"sync"
)

// maxSteps bounds the remembered typing path of a Session, and
// rememberedPerItem the matches it remembers in all, per indexed item (an
// int32 each): at 1M items, 32 MB.
const (
	maxSteps          = 64
	rememberedPerItem = 8
)

// Session is one console session's incremental search state. While the
// operator keeps appending characters (same or narrower facets) it searches
// only the previous query's matches; on backspace it goes back to the
// matches it remembered for the shorter query. Safe for concurrent use,
// though searches are serialised.
type Session struct {
	ix *Index
	mu sync.Mutex
	// path is the typing path: each entry's query narrows the one before.
	path []step
}

// step is a completed search and all of its matches.
type step struct {
	q     Query
	p     parsed
	found found
}

// NewSession starts an incremental search session over ix.
func NewSession(ix *Index) *Session { return &Session{ix: ix} }

// Index is the index the session searches.
func (s *Session) Index() *Index { return s.ix }

// Search runs q like Index.Search, scanning only the matches of the
// longest remembered query that q narrows. Cancelled searches are not
// remembered.
func (s *Session) Search(ctx context.Context, q Query) Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Drop remembered steps q does not narrow; the last one left is the
	// smallest candidate set known to contain every match of q.
	for len(s.path) > 0 && !narrows(s.path[len(s.path)-1].q, q) {
		s.path = s.path[:len(s.path)-1]
	}
	p := parseText(q.Text)
	var prev *prior
	if n := len(s.path); n > 0 {
		prev = &prior{found: s.path[n-1].found, r: resumeFrom(&s.path[n-1].p, &p)}
	}
	res, all := s.ix.search(ctx, q, &p, prev)
	if !res.Cancelled {
		s.remember(step{q: q, p: p, found: all})
	}
	return res
}

// remember pushes a completed step. Older steps keep only their matches
// (what backspace needs); a step that matched the same set as the one
// before shares its slice; the oldest steps go when the path holds more
// than rememberedPerItem matches per item or maxSteps steps.
func (s *Session) remember(st step) {
	if n := len(s.path); n > 0 {
		last := &s.path[n-1].found
		last.fixed = nil
		if len(last.idx) == len(st.found.idx) {
			last.idx = st.found.idx // a narrower query's matches, same count: the same set
		}
	}
	s.path = append(s.path, st)
	total := 0
	for _, p := range s.path {
		total += len(p.found.idx)
	}
	for len(s.path) > 1 && (len(s.path) > maxSteps || total > rememberedPerItem*s.ix.Len()) {
		total -= len(s.path[0].found.idx)
		s.path = s.path[1:]
	}
}

// FacetCounts is Index.FacetCounts, answered from the remembered matches
// when q is the session's last query.
func (s *Session) FacetCounts(q Query) map[string]map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.path); n > 0 && sameQuery(s.path[n-1].q, q) {
		return s.ix.countFacets(s.path[n-1].found.idx)
	}
	return s.ix.FacetCounts(q)
}

func sameQuery(a, b Query) bool {
	return narrows(a, b) && narrows(b, a)
}
