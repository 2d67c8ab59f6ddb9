package cycle

import (
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/asset"
)

// sortByID puts the summaries in ID order, in place, and returns them.
// The store hands them out by unit (type, account, region), each unit's
// IDs already in order, and most ARNs carry service, region and account
// ahead of the resource, so most units' ID ranges do not overlap. The runs
// are put in order of their first ID, then merged pairwise, a merge of two
// runs that do not overlap being one compare (S3 buckets and vulnerability
// findings, whose IDs do not start with account and region, are what gets
// merged). The merges move positions, not summaries; each summary moves
// once at the end.
func sortByID(s []asset.Summary) []asset.Summary {
	// A run ends where IDs descend or the unit changes: two units in a
	// row may ascend together, yet span the IDs of the units between
	// them in ID order.
	var runs [][2]int // [start, end) of each ascending run
	for i := 1; i <= len(s); i++ {
		if i == len(s) || s[i].ID < s[i-1].ID || s[i].Type != s[i-1].Type ||
			s[i].Account != s[i-1].Account || s[i].Region != s[i-1].Region {
			start := 0
			if len(runs) > 0 {
				start = runs[len(runs)-1][1]
			}
			runs = append(runs, [2]int{start, i})
		}
	}
	if len(runs) <= 1 {
		return s
	}
	slices.SortFunc(runs, func(a, b [2]int) int { return strings.Compare(s[a[0]].ID, s[b[0]].ID) })
	pos := make([]int32, 0, len(s)) // pos[k]: where the k-th summary in ID order is in s
	for i, r := range runs {
		runs[i] = [2]int{len(pos), len(pos) + r[1] - r[0]}
		for j := r[0]; j < r[1]; j++ {
			pos = append(pos, int32(j))
		}
	}
	less := func(a, b int32) bool { return s[a].ID < s[b].ID }
	var scratch []int32
	for len(runs) > 1 {
		next := runs[:0] // written behind the pairs being read
		for i := 0; i < len(runs); i += 2 {
			if i+1 == len(runs) {
				next = append(next, runs[i])
				break
			}
			a, b := runs[i], runs[i+1]
			if less(pos[b[0]], pos[a[1]-1]) {
				scratch = mergeRuns(pos[a[0]:b[1]], a[1]-a[0], scratch, less)
			}
			next = append(next, [2]int{a[0], b[1]})
		}
		runs = next
	}
	permute(s, pos)
	return s
}

// permute reorders s in place so that s[k] becomes the old s[pos[k]],
// following each cycle of the permutation once (no second 100k-summary
// slice for the garbage collector to scan). pos is used up.
func permute(s []asset.Summary, pos []int32) {
	for k := range pos {
		if pos[k] < 0 || int(pos[k]) == k {
			continue
		}
		tmp := s[k]
		j := k
		for {
			p := int(pos[j])
			pos[j] = -1
			if p == k {
				s[j] = tmp
				break
			}
			s[j] = s[p]
			j = p
		}
	}
}

// mergeRuns merges seg[:mid] and seg[mid:], each ordered by less, in
// place, using scratch (returned for reuse) for a copy of the first run.
// Equal elements keep their order.
func mergeRuns(seg []int32, mid int, scratch []int32, less func(a, b int32) bool) []int32 {
	left := append(scratch[:0], seg[:mid]...)
	i, j, k := 0, mid, 0
	for i < len(left) && j < len(seg) {
		if less(seg[j], left[i]) {
			seg[k] = seg[j]
			j++
		} else {
			seg[k] = left[i]
			i++
		}
		k++
	}
	copy(seg[k:], left[i:])
	return left
}
