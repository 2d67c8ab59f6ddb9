package omni

import "sort"

// penaltyCap bounds, for the order in which the kept hits are shown,
// sahilm's penalty of one point per unmatched byte: only the first
// penaltyCap bytes of a line count. Uncapped, an asset whose line carries a
// dozen tags lost to any shorter violation line that mentions it (typing an
// asset's exact name listed its violations first). The hits are still chosen
// by the uncapped score, whose length term keeps the scan's pruning strong:
// capping it there cost 1.5-1.8x CPU per keystroke at 1M lines.
const penaltyCap = 64

// rerank re-scores the kept hits with the length penalty capped and sorts
// them by that score (index order on ties).
func (ix *Index) rerank(top []scored) {
	for i := range top {
		n := ix.off[top[i].idx+1] - ix.off[top[i].idx]
		top[i].score += n - min(n, penaltyCap)
	}
	sort.Slice(top, func(i, j int) bool { return better(top[i], top[j]) })
}
