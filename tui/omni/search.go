package omni

import (
	"context"
	"math"
	"sort"
	"time"
)

// chunkSize is how many candidates a worker takes at a time; the context is
// checked between chunks.
const chunkSize = 4096

// Search runs q over every item. It returns early, with Result.Cancelled
// set and the partial result so far, when ctx is cancelled.
func (ix *Index) Search(ctx context.Context, q Query) Result {
	p := parseText(q.Text)
	r, _ := ix.search(ctx, q, &p, nil)
	return r
}

// found is every match of a search in candidate order, with, per match,
// the summed score of every group but the last (fixed; noFixed when not
// known). A Session searches the next, narrower query among them. idx nil
// means every item.
type found struct {
	idx   []int32
	fixed []int32
	top   []int32 // the hits returned, best first
}

// noFixed marks a match whose head terms were not scored.
const noFixed = math.MinInt32

// prior is what a Session knows from the previous query when q narrows it:
// its matches, which are q's candidates, and what they vouch for.
type prior struct {
	found
	r resume
}

// search runs q (parsed as p) over every item, or over the matches of a
// prior query, and returns the result and every match.
func (ix *Index) search(ctx context.Context, q Query, p *parsed, prev *prior) (Result, found) {
	var c found
	var r resume
	if prev != nil {
		c, r = prev.found, prev.r
	}
	start := time.Now()
	ff := ix.facetFilter(q.Facets)
	k := q.limit()
	n := ix.n
	if c.idx != nil {
		n = len(c.idx)
	}
	if ff.none {
		return Result{Elapsed: time.Since(start)}, found{idx: []int32{}}
	}
	rank := len(p.terms) > 0
	s := scan{ix: ix, p: p, r: &r, ff: &ff, c: c, k: k, rank: rank}
	if rank && prev != nil {
		s.seed, s.seeded = ix.seed(p, &ff, prev.top, k)
	}
	filtering := rank || len(p.excludes) > r.excludes || !ff.anyTyp || !ff.anyAcct || !ff.anyReg || ff.viol != nil || ff.kind != nil
	var all found
	var top []scored
	cancelled := false
	if filtering {
		all, top, cancelled = s.run(ctx, n)
	} else {
		// Everything matches: no scan needed.
		all = found{idx: c.idx}
		if all.idx == nil {
			all.idx = allItems(n)
		}
		for i := 0; i < n && i < k; i++ {
			top = append(top, scored{idx: all.idx[i]})
		}
	}
	if rank {
		ix.rerank(top, p)
	}
	res := Result{Total: len(all.idx), Cancelled: cancelled}
	res.Hits = make([]Hit, len(top))
	for h, t := range top {
		hit := Hit{Item: ix.item(int(t.idx)), Score: t.score, Line: ix.Line(int(t.idx))}
		if rank {
			var first int
			hit.Matched, first = ix.positions(p, int(t.idx))
			hit.Field = fieldAt(hit.Item, first)
			hit.Matched = runePositions(hit.Line, hit.Matched)
		}
		res.Hits[h] = hit
	}
	all.top = make([]int32, len(top))
	for h, t := range top {
		all.top[h] = t.idx
	}
	res.Elapsed = time.Since(start)
	return res, all
}

// scored is a candidate with its rank score.
type scored struct {
	score int
	idx   int32
}

// better orders hits: higher score first, then index order.
func better(a, b scored) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	return a.idx < b.idx
}

func allItems(n int) []int32 {
	all := make([]int32, n)
	for i := range all {
		all[i] = int32(i)
	}
	return all
}

func sortUnique(p []int) []int {
	sort.Ints(p)
	out := p[:0]
	for i, v := range p {
		if i == 0 || v != p[i-1] {
			out = append(out, v)
		}
	}
	return out
}
