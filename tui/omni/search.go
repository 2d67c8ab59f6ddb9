package omni

import (
	"context"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// chunkSize is how many candidates a worker takes at a time; the context is
// checked between chunks.
const chunkSize = 4096

// Search runs q over every item. It returns early, with Result.Cancelled
// set and the partial result so far, when ctx is cancelled.
func (ix *Index) Search(ctx context.Context, q Query) Result {
	r, _ := ix.search(ctx, q, nil)
	return r
}

// search runs q over cands (nil: every item) and also returns every match
// in candidate order, for a Session to narrow on.
func (ix *Index) search(ctx context.Context, q Query, cands []int32) (Result, []int32) {
	start := time.Now()
	p := parseText(q.Text)
	ff := ix.facetFilter(q.Facets)
	k := q.limit()
	n := len(ix.items)
	if cands != nil {
		n = len(cands)
	}
	if ff.none {
		return Result{Elapsed: time.Since(start)}, []int32{}
	}
	rank := len(p.terms) > 0
	s := scan{ix: ix, p: &p, ff: &ff, cands: cands, k: k, rank: rank}
	filtering := rank || len(p.excludes) > 0 || !ff.anyTyp || !ff.anyAcct || !ff.anyReg || ff.viol != nil
	var matches []int32
	var top []scored
	cancelled := false
	if filtering {
		matches, top, cancelled = s.run(ctx, n)
	} else {
		// Everything matches: no scan needed.
		matches = cands
		for i := 0; i < n && i < k; i++ {
			top = append(top, scored{idx: s.item(i)})
		}
		if matches == nil {
			matches = allItems(n)
		}
	}
	res := Result{Total: len(matches), Cancelled: cancelled}
	res.Hits = make([]Hit, len(top))
	for h, t := range top {
		hit := Hit{Item: &ix.items[t.idx], Score: t.score, Line: ix.Line(int(t.idx))}
		if rank {
			ix.score(&p, int(t.idx), &hit.Matched)
			hit.Matched = sortUnique(hit.Matched)
		}
		res.Hits[h] = hit
	}
	res.Elapsed = time.Since(start)
	return res, matches
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

// scan is one parallel pass over candidates.
type scan struct {
	ix    *Index
	p     *parsed
	ff    *facetFilter
	cands []int32
	k     int
	rank  bool
}

func (s *scan) item(i int) int32 {
	if s.cands != nil {
		return s.cands[i]
	}
	return int32(i)
}

// run scans n candidates on every core and returns the matches in candidate
// order, the top k (best first; the first k matches when not ranking) and
// whether ctx ended the scan early.
func (s *scan) run(ctx context.Context, n int) ([]int32, []scored, bool) {
	chunks := (n + chunkSize - 1) / chunkSize
	workers := min(runtime.NumCPU(), chunks)
	perChunk := make([][]int32, chunks)
	tops := make([]topK, workers)
	var next atomic.Int64
	var stopped atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		tops[w] = topK{k: s.k}
		wg.Add(1)
		go func(t *topK) {
			defer wg.Done()
			for {
				c := int(next.Add(1) - 1)
				if c >= chunks {
					return
				}
				if ctx.Err() != nil {
					stopped.Store(true)
					return
				}
				perChunk[c] = s.chunk(c*chunkSize, min(n, (c+1)*chunkSize), t)
			}
		}(&tops[w])
	}
	wg.Wait()
	total := 0
	for _, m := range perChunk {
		total += len(m)
	}
	matches := make([]int32, 0, total)
	for _, m := range perChunk {
		matches = append(matches, m...)
	}
	if !s.rank {
		top := make([]scored, 0, min(s.k, len(matches)))
		for _, i := range matches[:min(s.k, len(matches))] {
			top = append(top, scored{idx: i})
		}
		return matches, top, stopped.Load()
	}
	var all []scored
	for _, t := range tops {
		all = append(all, t.h...)
	}
	sort.Slice(all, func(a, b int) bool { return better(all[a], all[b]) })
	return matches, all[:min(s.k, len(all))], stopped.Load()
}

// chunk scans candidates [from, to), feeding matches to t when ranking.
func (s *scan) chunk(from, to int, t *topK) []int32 {
	var out []int32
	ix := s.ix
	for c := from; c < to; c++ {
		i := s.item(c)
		if !ix.passFacets(s.ff, int(i)) {
			continue
		}
		if s.rank && ix.ascii[i] {
			// Candidates come in index order, so one that cannot beat
			// the worst kept hit's score cannot displace it: it needs
			// only the match test. Otherwise scoring is the match test.
			if t.full() && s.prune(int(i), t.h[0].score) {
				if ix.matches(s.p, int(i)) {
					out = append(out, i)
				}
				continue
			}
			if sc, ok := s.scoreASCII(int(i)); ok {
				out = append(out, i)
				t.offer(scored{score: sc, idx: i})
			}
			continue
		}
		if !ix.matches(s.p, int(i)) {
			continue
		}
		out = append(out, i)
		if s.rank {
			t.offer(scored{score: ix.score(s.p, int(i), nil), idx: i})
		}
	}
	return out
}

// scoreASCII tests and scores ASCII item i in one pass: exclusions first,
// then each term.
func (s *scan) scoreASCII(i int) (int, bool) {
	line, lower := s.ix.Line(i), s.ix.lowerLine(i)
	for _, x := range s.p.excludes {
		if strings.Contains(lower, x) {
			return 0, false
		}
	}
	total := 0
	for _, term := range s.p.terms {
		sc, ok := scoreASCII(line, lower, term, nil)
		if !ok {
			return 0, false
		}
		total += sc
	}
	return total, true
}

// prune reports whether item i cannot beat the worst kept hit, whose score
// is worst: its best possible score (see parsed.whole) is no higher. It
// looks for the terms as substrings only when that decides.
func (s *scan) prune(i int, worst int) bool {
	lower := s.ix.lowerLine(i)
	whole, split := 0, 0
	for t := range s.p.terms {
		whole += s.p.whole[t] - len(lower)
		split += s.p.split[t] - len(lower)
	}
	if whole <= worst {
		return true
	}
	if split > worst {
		return false
	}
	b := 0
	for t, term := range s.p.terms {
		if strings.Contains(lower, term) {
			b += s.p.whole[t]
		} else {
			b += s.p.split[t]
		}
		b -= len(lower)
	}
	return b <= worst
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
