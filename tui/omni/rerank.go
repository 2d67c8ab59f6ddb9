package omni

import (
	"sort"
	"strings"
)

// penaltyCap bounds, for the order in which the kept hits are shown,
// sahilm's penalty of one point per unmatched byte: only the first
// penaltyCap bytes of a line count. Uncapped, an asset whose line carries a
// dozen tags lost to any shorter violation line that mentions it (typing an
// asset's exact name listed its violations first). The hits are still chosen
// by the uncapped score, whose length term keeps the scan's pruning strong:
// capping it there cost 1.5-1.8x CPU per keystroke at 1M lines.
const penaltyCap = 64

// exactBonus lifts a hit whose name or ID is exactly the (one-term) query
// above the other hits that hold the query as a prefix: those differ from
// it by a few dozen points at most.
const exactBonus = 1000

// rerank re-scores the kept hits with the length penalty capped, and the
// exact bonus for a one-term query, and sorts them by that score (index
// order on ties).
func (ix *Index) rerank(top []scored, p *parsed) {
	exact := ""
	if len(p.terms) == 1 {
		exact = p.terms[0]
	}
	for i := range top {
		n := ix.lineLen(int(top[i].idx))
		top[i].score += n - min(n, penaltyCap)
		if exact != "" && ix.named(int(top[i].idx), exact) {
			top[i].score += exactBonus
		}
	}
	sort.Slice(top, func(i, j int) bool { return better(top[i], top[j]) })
}

// named reports whether item i's name or ID is term, ignoring case.
func (ix *Index) named(i int, term string) bool {
	if i < len(ix.sums) {
		return strings.EqualFold(ix.sums[i].Name, term) || strings.EqualFold(ix.sums[i].ID, term)
	}
	it := ix.more.Item(i - len(ix.sums))
	return strings.EqualFold(it.Title, term) || strings.EqualFold(it.ID, term)
}
