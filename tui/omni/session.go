package omni

import (
	"context"
	"sync"
)

// maxSteps bounds the remembered typing path of a Session.
const maxSteps = 64

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
		if len(s.path) == maxSteps {
			s.path = append(s.path[:0], s.path[1:]...)
		}
		s.path = append(s.path, step{q: q, p: p, found: all})
	}
	return res
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
