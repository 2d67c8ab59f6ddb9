package omni

// facetFilter is a Facets value resolved to interned IDs.
type facetFilter struct {
	typ, acct, reg          uint32
	anyTyp, anyAcct, anyReg bool
	viol                    *bool
	kind                    *Kind
	none                    bool // a facet names a value no item has
	all                     bool // no facet is set
}

func (ix *Index) facetFilter(f Facets) facetFilter {
	ff := facetFilter{anyTyp: f.Type == "", anyAcct: f.Account == "", anyReg: f.Region == "", viol: f.HasViolations, kind: f.Kind}
	ff.all = ff.anyTyp && ff.anyAcct && ff.anyReg && ff.viol == nil && ff.kind == nil
	var ok bool
	if !ff.anyTyp {
		if ff.typ, ok = ix.typeID[f.Type]; !ok {
			ff.none = true
		}
	}
	if !ff.anyAcct {
		if ff.acct, ok = ix.acctID[f.Account]; !ok {
			ff.none = true
		}
	}
	if !ff.anyReg {
		if ff.reg, ok = ix.regID[f.Region]; !ok {
			ff.none = true
		}
	}
	return ff
}

func (ix *Index) passFacets(ff *facetFilter, i int) bool {
	if ff.all {
		return true
	}
	f := &ix.facets[ix.facet[i]]
	return (ff.anyTyp || f.typ == ff.typ) &&
		(ff.anyAcct || f.acct == ff.acct) &&
		(ff.anyReg || f.reg == ff.reg) &&
		(ff.viol == nil || f.flags.violations() == *ff.viol) &&
		(ff.kind == nil || f.flags.kind() == *ff.kind)
}

// hasMeta reports whether line i has a type, account or region piece.
func (ix *Index) hasMeta(i int) bool {
	f := &ix.facets[ix.facet[i]]
	return ix.typeN[f.typ] != "" || ix.acctN[f.acct] != "" || ix.regN[f.reg] != ""
}

// resume is what every candidate of a search is already known to satisfy,
// because the candidates are the matches of a query the new one narrows.
type resume struct {
	excludes int // excludes[:excludes] exclude none of them
	// sameHead: every term but the last is the previous query's, so the
	// previous scores of those terms (found.fixed) still hold.
	sameHead bool
}

// resumeFrom works out what the matches of prev tell about next.
func resumeFrom(prev, next *parsed) resume {
	var r resume
	for r.excludes < len(prev.excludes) && r.excludes < len(next.excludes) && prev.excludes[r.excludes] == next.excludes[r.excludes] {
		r.excludes++
	}
	same := 0
	for same < len(prev.terms) && same < len(next.terms) && sameGroup(prev.terms[same], next.terms[same]) {
		same++
	}
	r.sameHead = len(next.terms) >= 2 && len(prev.terms) == len(next.terms) && same >= len(next.terms)-1
	return r
}

func sameGroup(a, b group) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// lineScore matches line i against p and scores it: the sum of its groups'
// scores plus its tie-breaker. When fixed holds the score of every group
// but the last, only the last is scored. With exactOnly, groups that match
// only fuzzily count at their bound (see altScore) and bounded says so.
// head is the score of every group but the last (noFixed if one of
// them is bounded).
func (ix *Index) lineScore(p *parsed, r *resume, i int, fixed int32, exactOnly bool) (total int, head int32, bounded, ok bool) {
	lp := ix.parts(i)
	if lp.excluded(p.excludes[r.excludes:]) {
		return 0, noFixed, false, false
	}
	terms := p.terms
	if fixed != noFixed {
		total, terms = int(fixed), terms[len(terms)-1:]
	}
	head = noFixed
	for k, g := range terms {
		if k == len(terms)-1 && !bounded {
			head = int32(total)
		}
		sc, b, m := lp.groupScore(g, exactOnly, nil)
		if !m {
			return 0, noFixed, false, false
		}
		total += sc
		bounded = bounded || b
	}
	return total + ix.tieOf(i), head, bounded, true
}

// matches reports whether line i matches p (facets aside).
func (ix *Index) matches(p *parsed, r *resume, i int) bool {
	lp := ix.parts(i)
	if lp.excluded(p.excludes[r.excludes:]) {
		return false
	}
	for _, g := range p.terms {
		if _, _, m := lp.groupScore(g, true, nil); !m {
			return false
		}
	}
	return true
}

// positions collects the matched byte offsets of every term in line i,
// sorted and unique, and the offset where the first term matched (-1
// when the query has none).
func (ix *Index) positions(p *parsed, i int) (pos []int, first int) {
	lp := ix.parts(i)
	first = -1
	for k, g := range p.terms {
		n := len(pos)
		lp.groupScore(g, false, &pos)
		if k == 0 && len(pos) > n {
			first = pos[n]
		}
	}
	return sortUnique(pos), first
}
