package omni

import "context"

// Facet names, the keys of FacetCounts' answer.
const (
	FacetType    = "type"
	FacetAccount = "account"
	FacetRegion  = "region"
)

// FacetCounts counts the matches of q (text and facets as given) per type,
// account and region: {"type": {"aws.s3.bucket": 12, ...}, "account": ...,
// "region": ...}. It matches without ranking, so it costs less than Search.
func (ix *Index) FacetCounts(q Query) map[string]map[string]int {
	p := parseText(q.Text)
	ff := ix.facetFilter(q.Facets)
	if ff.none {
		return ix.countFacets(nil)
	}
	s := scan{ix: ix, p: &p, r: &resume{}, ff: &ff, k: 0}
	all, _, _ := s.run(context.Background(), ix.n)
	return ix.countFacets(all.idx)
}

// countFacets counts matches per facet value.
func (ix *Index) countFacets(matches []int32) map[string]map[string]int {
	t := make([]int, len(ix.typeN))
	a := make([]int, len(ix.acctN))
	r := make([]int, len(ix.regN))
	for _, i := range matches {
		f := &ix.facets[ix.facet[i]]
		t[f.typ]++
		a[f.acct]++
		r[f.reg]++
	}
	return map[string]map[string]int{
		FacetType:    named(t, ix.typeN),
		FacetAccount: named(a, ix.acctN),
		FacetRegion:  named(r, ix.regN),
	}
}

func named(counts []int, names []string) map[string]int {
	m := map[string]int{}
	for id, c := range counts {
		if c > 0 && names[id] != "" {
			m[names[id]] = c
		}
	}
	return m
}
