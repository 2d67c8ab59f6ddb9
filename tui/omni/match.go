package omni

import "strings"

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

// resume is what every candidate of a search is already known to satisfy,
// because the candidates are the matches of a query the new one narrows.
type resume struct {
	terms    int // terms[:terms] match every candidate
	excludes int // excludes[:excludes] exclude none of them
	// extend: terms[terms] is the previous query's last term followed by
	// suffix, so its in-order check resumes after where that term ended.
	extend bool
	suffix string
	// sameHead: every term but the last is the previous query's, so the
	// previous scores of those terms (found.fixed) still hold.
	sameHead bool
}

// resumeFrom works out what the matches of prev tell about next.
func resumeFrom(prev, next *parsed) resume {
	var r resume
	for r.terms < len(prev.terms) && r.terms < len(next.terms) && prev.terms[r.terms] == next.terms[r.terms] {
		r.terms++
	}
	for r.excludes < len(prev.excludes) && r.excludes < len(next.excludes) && prev.excludes[r.excludes] == next.excludes[r.excludes] {
		r.excludes++
	}
	if k := r.terms; k == len(prev.terms)-1 && k < len(next.terms) &&
		len(next.terms[k]) > len(prev.terms[k]) && strings.HasPrefix(next.terms[k], prev.terms[k]) {
		r.extend, r.suffix = true, next.terms[k][len(prev.terms[k]):]
	}
	r.sameHead = len(next.terms) >= 2 && len(prev.terms) == len(next.terms) && r.terms >= len(next.terms)-1
	return r
}

// match reports whether item i matches the parsed text (facets aside),
// checking only what r does not already vouch for. end is where the
// previous query's last term ended in item i (-1: unknown); match returns
// where this query's last term ends (-1 when it has none). The line is
// checked as its stored parts, without copying them together.
func (ix *Index) match(p *parsed, r *resume, i int, end int32) (int32, bool) {
	lp := ix.parts(i)
	newEnd := end
	if len(p.terms) == 0 {
		newEnd = -1
	}
	for t := r.terms; t < len(p.terms); t++ {
		var e int
		if t == r.terms && r.extend && end >= 0 {
			e = lp.inOrder(int(end)+1, r.suffix)
		} else {
			e = lp.inOrder(0, p.terms[t])
		}
		if e < 0 {
			return -1, false
		}
		newEnd = int32(e)
	}
	for _, x := range p.excludes[r.excludes:] {
		if lp.contains(x) {
			return -1, false
		}
	}
	if !ix.ascii[i] {
		// The byte pre-check is only a necessary condition on non-ASCII
		// lines; let the real matcher decide.
		line := ix.Line(i)
		for _, t := range p.terms[r.terms:] {
			if _, ok := scoreRunes(line, t, nil); !ok {
				return -1, false
			}
		}
	}
	return newEnd, true
}

// contains reports whether term is a substring of line i.
func (ix *Index) contains(i int, term string) bool {
	return ix.parts(i).contains(term)
}

// score ranks item i (which matches) as the sum of its terms' scores; with
// pos non-nil it also collects the matched rune positions, sorted and unique.
func (ix *Index) score(p *parsed, i int, pos *[]int, lb *lineBuf) int {
	total := 0
	for _, t := range p.terms {
		var s int
		if ix.ascii[i] {
			lower, caps, base := ix.full(i, lb)
			s, _, _ = scoreASCII(lower, caps, base, t, pos)
		} else {
			s, _ = scoreRunes(ix.Line(i), t, pos)
		}
		total += s
	}
	return total
}
