package omni

import (
	"context"
	"runtime"
	"sort"
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

// item is candidate i and the score of all groups but the last when still
// known (else noFixed).
func (s *scan) item(i int) (idx int32, fixed int32) {
	if s.c.idx == nil {
		return int32(i), noFixed
	}
	if s.r.sameHead && s.c.fixed != nil {
		return s.c.idx[i], s.c.fixed[i]
	}
	return s.c.idx[i], noFixed
}

// run scans n candidates on every core and returns the matches in candidate
// order, the top k (best first; the first k matches when not ranking) and
// whether ctx ended the scan early.
func (s *scan) run(ctx context.Context, n int) (found, []scored, bool) {
	chunks := (n + chunkSize - 1) / chunkSize
	workers := max(1, min(runtime.NumCPU(), chunks))
	// Each chunk writes its matches at the start of its own stretch of
	// the buffers; the stretches are closed up afterwards.
	out := found{idx: make([]int32, n)}
	if s.rank {
		out.fixed = make([]int32, n)
	}
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
				part := found{idx: out.idx[from:to]}
				if s.rank {
					part.fixed = out.fixed[from:to]
				}
				counts[c] = s.chunk(from, to, t, part)
			}
		}(&tops[w])
	}
	wg.Wait()
	total := 0
	for c, cnt := range counts {
		copy(out.idx[total:], out.idx[c*chunkSize:c*chunkSize+cnt])
		if s.rank {
			copy(out.fixed[total:], out.fixed[c*chunkSize:c*chunkSize+cnt])
		}
		total += cnt
	}
	out.idx = out.idx[:total:total]
	if s.rank {
		out.fixed = out.fixed[:total:total]
	}
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
// them to t when ranking; it returns how many matched. A line whose fuzzy
// groups are only bounded is scored in full only when that bound could
// beat the worst hit kept (or the seed): candidates come in index order,
// so an equal score cannot displace it.
func (s *scan) chunk(from, to int, t *topK, out found) int {
	ix := s.ix
	n := 0
	for c := from; c < to; c++ {
		i, fixed := s.item(c)
		if !ix.passFacets(s.ff, int(i)) {
			continue
		}
		if !s.rank {
			if ix.matches(s.p, s.r, int(i)) {
				out.idx[n] = i
				n++
			}
			continue
		}
		sc, head, bounded, ok := ix.lineScore(s.p, s.r, int(i), fixed, true)
		if !ok {
			continue
		}
		if bounded {
			worst, known := s.seed-1, s.seeded
			if t.full() {
				worst, known = max(worst, t.h[0].score), true
			}
			if known && sc <= worst {
				out.idx[n], out.fixed[n] = i, head
				n++
				continue
			}
			sc, head, _, _ = ix.lineScore(s.p, s.r, int(i), fixed, false)
		}
		out.idx[n], out.fixed[n] = i, head
		n++
		t.offer(scored{score: sc, idx: i})
	}
	return n
}
