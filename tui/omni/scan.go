package omni

import (
	"context"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

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

// item is candidate i, where the previous last term ended in it, what is
// known about this query's terms being substrings of it, and the score of
// all terms but the last when still known (else noFixed).
func (s *scan) item(i int) (idx, end int32, known subKnown, fixed int32) {
	if s.c.idx == nil {
		return int32(i), -1, 0, noFixed
	}
	if s.c.ends == nil {
		return s.c.idx[i], -1, 0, noFixed
	}
	fixed = noFixed
	if s.r.sameHead {
		fixed = s.c.fixed[i]
	}
	return s.c.idx[i], s.c.ends[i], s.r.carry(s.c.subs[i]), fixed
}

// run scans n candidates on every core and returns the matches in candidate
// order, the top k (best first; the first k matches when not ranking) and
// whether ctx ended the scan early.
func (s *scan) run(ctx context.Context, n int) (found, []scored, bool) {
	chunks := (n + chunkSize - 1) / chunkSize
	workers := min(runtime.NumCPU(), chunks)
	// Each chunk writes its matches at the start of its own stretch of
	// the buffers; the stretches are closed up afterwards.
	out := found{idx: make([]int32, n), ends: make([]int32, n), subs: make([]subKnown, n), fixed: make([]int32, n)}
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
			var lb lineBuf
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
				counts[c] = s.chunk(from, to, t, &lb, found{idx: out.idx[from:to], ends: out.ends[from:to], subs: out.subs[from:to], fixed: out.fixed[from:to]})
			}
		}(&tops[w])
	}
	wg.Wait()
	total := 0
	for c, cnt := range counts {
		copy(out.idx[total:], out.idx[c*chunkSize:c*chunkSize+cnt])
		copy(out.ends[total:], out.ends[c*chunkSize:c*chunkSize+cnt])
		copy(out.subs[total:], out.subs[c*chunkSize:c*chunkSize+cnt])
		copy(out.fixed[total:], out.fixed[c*chunkSize:c*chunkSize+cnt])
		total += cnt
	}
	out.idx, out.ends = out.idx[:total:total], out.ends[:total:total]
	out.subs, out.fixed = out.subs[:total:total], out.fixed[:total:total]
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
// them to t when ranking; it returns how many matched. lb is the worker's
// scratch line.
func (s *scan) chunk(from, to int, t *topK, lb *lineBuf, out found) int {
	ix := s.ix
	n := 0
	for c := from; c < to; c++ {
		i, end, known, fixed := s.item(c)
		if !ix.passFacets(s.ff, int(i)) {
			continue
		}
		if s.rank && ix.ascii[i] {
			// A line no better than the worst kept hit (candidates come
			// in index order, so it cannot displace it), or worse than
			// the seed, cannot make the top k: it gets the cheaper match
			// test below. Otherwise scoring is the match test.
			pruned := false
			if full := t.full(); !s.p.noPrune && (full || s.seeded) {
				worst := math.MinInt
				if full {
					worst = t.h[0].score
				}
				if s.seeded {
					worst = max(worst, s.seed-1)
				}
				pruned, known = s.prune(int(i), worst, known, fixed)
			}
			if !pruned {
				sc, fx, e, ok := s.scoreASCII(int(i), fixed, lb)
				if ok {
					out.idx[n], out.ends[n], out.subs[n], out.fixed[n] = i, int32(e), known, fx
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
		out.idx[n], out.ends[n], out.subs[n], out.fixed[n] = i, e, known, fixed
		n++
		if s.rank && !ix.ascii[i] {
			t.offer(scored{score: ix.score(s.p, int(i), nil, lb), idx: i})
		}
	}
	return n
}

// scoreASCII tests and scores ASCII item i in one pass: exclusions first,
// then each term, or only the last when fixed holds the others' score. It
// returns the total, the score of all terms but the last, and where the
// last term's in-order match ends.
func (s *scan) scoreASCII(i int, fixed int32, lb *lineBuf) (total int, head int32, end int, ok bool) {
	lower, caps, base := s.ix.full(i, lb)
	for _, x := range s.p.excludes[s.r.excludes:] {
		if strings.Contains(lower, x) {
			return 0, noFixed, -1, false
		}
	}
	terms := s.p.terms
	if fixed != noFixed {
		total, terms = int(fixed), terms[len(terms)-1:]
	}
	for k, term := range terms {
		if k == len(terms)-1 {
			head = noFixed
			if total > noFixed && total <= math.MaxInt32 {
				head = int32(total)
			}
		}
		sc, e, ok := scoreASCII(lower, caps, base, term, nil)
		if !ok {
			return 0, noFixed, -1, false
		}
		total, end = total+sc, e
	}
	return total, head, end, true
}
