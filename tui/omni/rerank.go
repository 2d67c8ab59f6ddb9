package omni

import (
	"sort"
	"strings"
)

// exactBonus lifts a hit whose name or ID is exactly the (one-term) query
// above the other hits that hold it as a whole word at the same place.
const exactBonus = 1000

// rerank adds the exact bonus for a one-term query to the kept hits and
// sorts them by that score (index order on ties).
func (ix *Index) rerank(top []scored, p *parsed) {
	if len(p.terms) != 1 || len(p.terms[0]) != 1 {
		return
	}
	exact := p.terms[0][0].text
	for i := range top {
		if ix.named(int(top[i].idx), exact) {
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
