package omni

import (
	"sort"
)

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

// seed scores the previous query's hits under this one: when at least k of
// them still match, the k-th best score is a floor for this query's top k
// from the first line scanned on.
func (ix *Index) seed(p *parsed, ff *facetFilter, prevTop []int32, k int) (int, bool) {
	if len(prevTop) < k {
		return 0, false
	}
	scores := make([]int, 0, len(prevTop))
	var lb lineBuf
	for _, i := range prevTop {
		if !ix.passFacets(ff, int(i)) {
			continue
		}
		if _, ok := ix.match(p, &resume{}, int(i), -1); ok {
			scores = append(scores, ix.score(p, int(i), nil, &lb))
		}
	}
	if len(scores) < k {
		return 0, false
	}
	sort.Sort(sort.Reverse(sort.IntSlice(scores)))
	return scores[k-1], true
}

// prune reports whether item i cannot beat the worst kept hit, whose score
// is worst: its best possible score (see parsed.whole) is no higher. When
// fixed holds the score of all terms but the last, only the last is
// bounded. It looks for terms as substrings only when that decides and
// known does not already say, and returns known with what it learnt.
func (s *scan) prune(i int, worst int, known subKnown, fixed int32) (bool, subKnown) {
	n := s.ix.lineLen(i)
	from, base := 0, 0
	if fixed != noFixed {
		from, base = len(s.p.terms)-1, int(fixed)
	}
	whole, split := base, base
	for t := from; t < len(s.p.terms); t++ {
		whole += s.p.whole[t] - n
		split += s.p.split[t] - n
	}
	if whole <= worst {
		return true, known
	}
	if split > worst {
		return false, known
	}
	b := base
	for t := from; t < len(s.p.terms); t++ {
		var sub bool
		switch {
		case t < 8 && known&(1<<t) != 0:
		case t < 8 && known&(1<<(8+t)) != 0:
			sub = true
		default:
			sub = s.ix.contains(i, s.p.terms[t])
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
		b -= n
	}
	return b <= worst, known
}
