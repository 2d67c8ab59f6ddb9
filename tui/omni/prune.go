package omni

import "sort"

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
		if sc, _, _, ok := ix.lineScore(p, &resume{}, int(i), noFixed, false); ok {
			scores = append(scores, sc)
		}
	}
	if len(scores) < k {
		return 0, false
	}
	sort.Sort(sort.Reverse(sort.IntSlice(scores)))
	return scores[k-1], true
}
