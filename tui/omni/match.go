package omni

import "strings"

// facetFilter is a Facets value resolved to interned IDs.
type facetFilter struct {
	typ, acct, reg          uint32
	anyTyp, anyAcct, anyReg bool
	viol                    *bool
	none                    bool // a facet names a value no item has
}

func (ix *Index) facetFilter(f Facets) facetFilter {
	ff := facetFilter{anyTyp: f.Type == "", anyAcct: f.Account == "", anyReg: f.Region == "", viol: f.HasViolations}
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
	return (ff.anyTyp || ix.typ[i] == ff.typ) &&
		(ff.anyAcct || ix.acct[i] == ff.acct) &&
		(ff.anyReg || ix.reg[i] == ff.reg) &&
		(ff.viol == nil || ix.items[i].HasViolations == *ff.viol)
}

// matches reports whether item i matches the parsed text (facets aside).
func (ix *Index) matches(p *parsed, i int) bool {
	lower := ix.lowerLine(i)
	for _, t := range p.terms {
		if !inOrder(lower, t) {
			return false
		}
	}
	for _, x := range p.excludes {
		if strings.Contains(lower, x) {
			return false
		}
	}
	if !ix.ascii[i] {
		// The byte pre-check is only a necessary condition on non-ASCII
		// lines; let the real matcher decide.
		for _, t := range p.terms {
			if _, ok := scoreRunes(ix.Line(i), t, nil); !ok {
				return false
			}
		}
	}
	return true
}

// score ranks item i (which matches) as the sum of its terms' scores; with
// pos non-nil it also collects the matched rune positions, sorted and unique.
func (ix *Index) score(p *parsed, i int, pos *[]int) int {
	total := 0
	for _, t := range p.terms {
		var s int
		if ix.ascii[i] {
			s, _ = scoreASCII(ix.Line(i), ix.lowerLine(i), t, pos)
		} else {
			s, _ = scoreRunes(ix.Line(i), t, pos)
		}
		total += s
	}
	return total
}
