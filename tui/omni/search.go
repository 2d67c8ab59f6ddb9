package omni

import (
	"context"
	"math"
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
	p := parseText(q.Text)
	r, _ := ix.search(ctx, q, &p, nil)
	return r
}

// found is every match of a search in candidate order, with where the
// query's last fuzzy term ended in each (ends may be nil: unknown) and
// what is known about its terms being substrings of each (subs, see
// subKnown). A Session searches the next, narrower query among them. idx
// nil means every item.
type found struct {
	idx, ends []int32
	subs      []uint16
	top       []int32 // the hits returned, best first
}

// subKnown is what a search learnt about terms 0-7 of its query on a line:
// bit t set means term t is not a substring of the line, bit 8+t that it
// is. Terms that stay the same keep both; a term that grows stays not a
// substring.
type subKnown = uint16

// carry is what known, learnt for the previous query, says about this one.
func (r *resume) carry(known subKnown) subKnown {
	same := subKnown(1)<<min(r.terms, 8) - 1
	out := known & (same | same<<8)
	if r.extend && r.terms < 8 {
		out |= known & (1 << r.terms)
	}
	return out
}

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
	n := len(ix.items)
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
	filtering := rank || len(p.excludes) > 0 || !ff.anyTyp || !ff.anyAcct || !ff.anyReg || ff.viol != nil
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
	res := Result{Total: len(all.idx), Cancelled: cancelled}
	res.Hits = make([]Hit, len(top))
	for h, t := range top {
		hit := Hit{Item: &ix.items[t.idx], Score: t.score, Line: ix.Line(int(t.idx))}
		if rank {
			ix.score(p, int(t.idx), &hit.Matched)
			hit.Matched = sortUnique(hit.Matched)
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

// seed scores the previous query's hits under this one: when at least k of
// them still match, the k-th best score is a floor for this query's top k
// from the first line scanned on.
func (ix *Index) seed(p *parsed, ff *facetFilter, prevTop []int32, k int) (int, bool) {
	if len(prevTop) < k {
		return 0, false
	}
	scores := make([]int, 0, len(prevTop))
	for _, i := range prevTop {
		if !ix.passFacets(ff, int(i)) {
			continue
		}
		if _, ok := ix.match(p, &resume{}, int(i), -1); ok {
			scores = append(scores, ix.score(p, int(i), nil))
		}
	}
	if len(scores) < k {
		return 0, false
	}
	sort.Sort(sort.Reverse(sort.IntSlice(scores)))
	return scores[k-1], true
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
	ix   *Index
	p    *parsed
	r    *resume
	ff   *facetFilter
	c    found
	k    int
	rank bool
	// seeded: k lines are known to score at least seed.
	seed   int
	seeded bool
}

// item is candidate i, where the previous last term ended in it and what
// is known about this query's terms being substrings of it.
func (s *scan) item(i int) (int32, int32, subKnown) {
	if s.c.idx == nil {
		return int32(i), -1, 0
	}
	if s.c.ends == nil {
		return s.c.idx[i], -1, 0
	}
	return s.c.idx[i], s.c.ends[i], s.r.carry(s.c.subs[i])
}

// run scans n candidates on every core and returns the matches in candidate
// order, the top k (best first; the first k matches when not ranking) and
// whether ctx ended the scan early.
func (s *scan) run(ctx context.Context, n int) (found, []scored, bool) {
	chunks := (n + chunkSize - 1) / chunkSize
	workers := min(runtime.NumCPU(), chunks)
	// Each chunk writes its matches at the start of its own stretch of
	// the buffers; the stretches are closed up afterwards.
	out := found{idx: make([]int32, n), ends: make([]int32, n), subs: make([]subKnown, n)}
	counts := make([]int, chunks)
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
				from, to := c*chunkSize, min(n, (c+1)*chunkSize)
				counts[c] = s.chunk(from, to, t, found{idx: out.idx[from:to], ends: out.ends[from:to], subs: out.subs[from:to]})
			}
		}(&tops[w])
	}
	wg.Wait()
	total := 0
	for c, cnt := range counts {
		copy(out.idx[total:], out.idx[c*chunkSize:c*chunkSize+cnt])
		copy(out.ends[total:], out.ends[c*chunkSize:c*chunkSize+cnt])
		copy(out.subs[total:], out.subs[c*chunkSize:c*chunkSize+cnt])
		total += cnt
	}
	out.idx, out.ends, out.subs = out.idx[:total:total], out.ends[:total:total], out.subs[:total:total]
	if !s.rank {
		top := make([]scored, 0, min(s.k, total))
		for _, i := range out.idx[:min(s.k, total)] {
			top = append(top, scored{idx: i})
		}
		return out, top, stopped.Load()
	}
	var all []scored
	for _, t := range tops {
		all = append(all, t.h...)
	}
	sort.Slice(all, func(a, b int) bool { return better(all[a], all[b]) })
	return out, all[:min(s.k, len(all))], stopped.Load()
}

// chunk scans candidates [from, to), writing matches to out and offering
// them to t when ranking; it returns how many matched.
func (s *scan) chunk(from, to int, t *topK, out found) int {
	ix := s.ix
	n := 0
	for c := from; c < to; c++ {
		i, end, known := s.item(c)
		if !ix.passFacets(s.ff, int(i)) {
			continue
		}
		if s.rank && ix.ascii[i] {
			// Candidates come in index order, so one that cannot beat
			// the worst kept hit's score cannot displace it: it gets
			// the cheaper match test below. Otherwise scoring is the
			// match test.
			// A line no better than the worst kept hit, or worse than
			// the seed, cannot make the top k.
			pruned := false
			if full := t.full(); full || s.seeded {
				worst := math.MinInt
				if full {
					worst = t.h[0].score
				}
				if s.seeded {
					worst = max(worst, s.seed-1)
				}
				pruned, known = s.prune(int(i), worst, known)
			}
			if !pruned {
				sc, e, ok := s.scoreASCII(int(i))
				if ok {
					out.idx[n], out.ends[n], out.subs[n] = i, int32(e), known
					n++
					t.offer(scored{score: sc, idx: i})
				}
				continue
			}
		}
		e, ok := ix.match(s.p, s.r, int(i), end)
		if !ok {
			continue
		}
		out.idx[n], out.ends[n], out.subs[n] = i, e, known
		n++
		if s.rank && !ix.ascii[i] {
			t.offer(scored{score: ix.score(s.p, int(i), nil), idx: i})
		}
	}
	return n
}

// scoreASCII tests and scores ASCII item i in one pass: exclusions first,
// then each term. end is where the last term's in-order match ends.
func (s *scan) scoreASCII(i int) (total, end int, ok bool) {
	line, lower := s.ix.Line(i), s.ix.lowerLine(i)
	for _, x := range s.p.excludes[s.r.excludes:] {
		if strings.Contains(lower, x) {
			return 0, -1, false
		}
	}
	for _, term := range s.p.terms {
		sc, e, ok := scoreASCII(line, lower, term, nil)
		if !ok {
			return 0, -1, false
		}
		total, end = total+sc, e
	}
	return total, end, true
}

// prune reports whether item i cannot beat the worst kept hit, whose score
// is worst: its best possible score (see parsed.whole) is no higher. It
// looks for the terms as substrings only when that decides and known does
// not already say, and returns known with what it learnt.
func (s *scan) prune(i int, worst int, known subKnown) (bool, subKnown) {
	lower := s.ix.lowerLine(i)
	whole, split := 0, 0
	for t := range s.p.terms {
		whole += s.p.whole[t] - len(lower)
		split += s.p.split[t] - len(lower)
	}
	if whole <= worst {
		return true, known
	}
	if split > worst {
		return false, known
	}
	b := 0
	for t, term := range s.p.terms {
		var sub bool
		switch {
		case t < 8 && known&(1<<t) != 0:
		case t < 8 && known&(1<<(8+t)) != 0:
			sub = true
		default:
			sub = strings.Contains(lower, term)
			if t < 8 && sub {
				known |= 1 << (8 + t)
			} else if t < 8 {
				known |= 1 << t
			}
		}
		if sub {
			b += s.p.whole[t]
		} else {
			b += s.p.split[t]
		}
		b -= len(lower)
	}
	return b <= worst, known
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
