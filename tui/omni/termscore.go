package omni

import (
	"strings"

	"github.com/sahilm/fuzzy"
)

// How a line is ranked. A term found whole (as a substring) always outranks
// letters scattered within a word; among either, the field counts most
// (name or ID, then type/account/region, then tags), then how the
// occurrence sits on word boundaries (a whole word, a word start, a word
// end), then, in the own part (name and ID), how early it starts. Scattered letters are
// scored by sahilm/fuzzy on the word that holds them; for them the
// tightness of the letters weighs more than the field. Kind, severity and
// open violations only break ties (see tieOf).
const (
	exactBase  = 10_000
	fieldStep  = 2_000
	boundStep  = 400
	posStep    = 10
	posBuckets = 7
	// Scattered letters: sahilm's score on the word that holds them, plus
	// fuzzyOffset, clamped to [0, fuzzyCap] and weighed fuzzyQuality
	// times; the field adds fuzzyField per step. How tight the letters sit
	// counts more than where: a typo of a tag value beats letters strewn
	// over a name. All of it stays below exactBase.
	fuzzyOffset  = 500
	fuzzyCap     = 2_999
	fuzzyQuality = 3
	fuzzyField   = 150

	fieldTags = 0
	fieldMeta = 1 // type, account and region
	fieldOwn  = 2 // name and ID
)

// wordByte reports whether c continues a word: a lower-case letter, a digit
// or part of a non-ASCII rune.
func wordByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c >= 0x80
}

// part is one stored part of a line: its lower-cased text, where its
// capitals are marked, its field and its offset in the line.
type part struct {
	s     string
	caps  caseBits
	base  int
	field int
	at    int
	// idAt is where the item's ID starts in the own part (its last word:
	// IDs hold no spaces), or 0 when the part is not an own part or is all
	// ID. An ID weighs like type/account/region: an ARN repeats the
	// resource type and the name.
	idAt int
}

// fieldAt is the field of the byte at k of the part.
func (pt *part) fieldAt(k int) int {
	if pt.idAt > 0 && k >= pt.idAt {
		return min(pt.field, fieldMeta)
	}
	return pt.field
}

// lineParts is one line as its parts: its own part (title and ID), then
// its shared pieces (type/account/region first when it has them, then tags).
type lineParts struct {
	ix   *Index
	i    int
	own  string
	segs []uint32
}

// parts returns line i's parts.
func (ix *Index) parts(i int) lineParts {
	return lineParts{ix, i, ix.lower[ix.off[i]:ix.off[i+1]], ix.segs[ix.segAt[i]:ix.segAt[i+1]]}
}

// n is how many parts the line has.
func (lp *lineParts) n() int { return 1 + len(lp.segs) }

// part returns part j; at is its offset in the line, which the caller
// tracks (the sum of the lengths before it).
func (lp *lineParts) part(j, at int) part {
	if j == 0 {
		// A violation's own part is its message, which names the asset
		// in a sentence: it weighs like type/account/region, so the
		// asset itself comes first.
		f := fieldOwn
		if lp.ix.facets[lp.ix.facet[lp.i]].flags.kind() == KindViolation {
			f = fieldMeta
		}
		return part{s: lp.own, caps: lp.ix.caps, base: int(lp.ix.off[lp.i]), field: f, at: at, idAt: strings.LastIndexByte(lp.own, ' ') + 1}
	}
	s, b := lp.ix.piece(lp.segs[j-1])
	f := fieldTags
	if j == 1 && lp.ix.hasMeta(lp.i) {
		f = fieldMeta
	}
	return part{s: s, caps: lp.ix.pieceCaps, base: b, field: f, at: at}
}

// piece returns piece p and the bit of its first byte in pieceCaps.
func (ix *Index) piece(p uint32) (string, int) {
	at := int(ix.pOff[p])
	return ix.pieces[at : at+int(ix.pLen[p])], at
}

// camelAt reports whether byte k of the part starts a camel-case hump: a
// capital after a lower-case letter in the original.
func (pt *part) camelAt(k int) bool {
	if k <= 0 || k >= len(pt.s) {
		return false
	}
	c := pt.s[k-1]
	return 'a' <= c && c <= 'z' && pt.caps.upper(pt.base+k) && !pt.caps.upper(pt.base+k-1)
}

// exact scores the best occurrence of a's text in the part as a.mode
// allows, or returns -1; at is where it starts in the part.
func (pt *part) exact(a alt) (score, at int) {
	s, t := pt.s, a.text
	best, bestAt := -1, -1
	for from := 0; from <= len(s)-len(t); {
		x := strings.Index(s[from:], t)
		if x < 0 {
			break
		}
		st, en := from+x, from+x+len(t)
		before := st == 0 || !wordByte(s[st-1]) || pt.camelAt(st)
		after := en == len(s) || !wordByte(s[en]) || pt.camelAt(en)
		ok := a.mode <= modeExact || (a.mode == modePrefix && before) ||
			(a.mode == modeSuffix && after) || (a.mode == modeWord && before && after)
		if ok {
			q := 0
			if before {
				q += 2
			}
			if after {
				q++
			}
			sc := exactBase + pt.fieldAt(st)*fieldStep + q*boundStep
			if pt.at == 0 {
				sc += posStep * (posBuckets - min(posBuckets, st/8))
			}
			if sc > best {
				best, bestAt = sc, st
			}
			if q == 3 {
				break // a later occurrence is no better
			}
		}
		from = st + 1
	}
	return best, bestAt
}

// inWord finds the first space-delimited word of s that holds the letters of
// t in order and returns its bounds, or -1. Greedy matching from a word's
// first occurrence of t[0] is the best that word can do, so a failure skips
// to the next word.
func inWord(s, t string) (ws, we int) {
	for from := 0; ; {
		x := strings.IndexByte(s[from:], t[0])
		if x < 0 {
			return -1, -1
		}
		i := from + x
		j, k := i+1, 1
		for ; k < len(t); k++ {
			y := strings.IndexByte(s[j:], t[k])
			if y < 0 {
				return -1, -1 // no later word has it either
			}
			if strings.IndexByte(s[j:j+y], ' ') >= 0 {
				break
			}
			j += y + 1
		}
		if k == len(t) {
			ws = strings.LastIndexByte(s[:i], ' ') + 1
			we = strings.IndexByte(s[i:], ' ')
			if we < 0 {
				return ws, len(s)
			}
			return ws, i + we
		}
		sp := strings.IndexByte(s[i:], ' ')
		if sp < 0 {
			return -1, -1
		}
		from = i + sp + 1
	}
}

// fuzzyWord scores t's letters in the word s[ws:we] of the part with
// sahilm/fuzzy (reproduced byte for byte by scoreASCII), placed in the
// part's field band below every exact occurrence. pos, when not nil,
// gets the matched bytes' offsets in the line.
func (pt *part) fuzzyWord(t string, ws, we int, pos *[]int) int {
	w := pt.s[ws:we]
	var sc int
	var local []int
	var lp *[]int
	if pos != nil {
		lp = &local
	}
	if isASCII([]byte(w)) {
		sc, _, _ = scoreASCII(w, pt.caps, pt.base+ws, t, lp)
	} else if m := fuzzy.Find(t, []string{w}); len(m) == 1 {
		sc = m[0].Score
		local = m[0].MatchedIndexes
	}
	if pos != nil {
		for _, k := range local {
			*pos = append(*pos, pt.at+ws+k)
		}
	}
	return pt.fieldAt(ws)*fuzzyField + fuzzyQuality*max(0, min(fuzzyCap, sc+fuzzyOffset))
}

// altScore scores alternative a on the line: its best exact occurrence in
// the highest field that has one, else, for a fuzzy term, its letters in
// the first word that holds them in order. With exactOnly a fuzzy match is
// not scored: bound is then the most it could score. pos, when not nil,
// gets the matched byte offsets in the line.
func (lp *lineParts) altScore(a alt, exactOnly bool, pos *[]int) (score int, bound, ok bool) {
	at := 0
	for j := 0; j < lp.n(); j++ {
		pt := lp.part(j, at)
		if sc, st := pt.exact(a); sc >= 0 {
			if pos != nil {
				for k := range len(a.text) {
					*pos = append(*pos, at+st+k)
				}
			}
			return sc, false, true
		}
		at += len(pt.s)
	}
	if a.mode != modeFuzzy {
		return 0, false, false
	}
	at = 0
	for j := 0; j < lp.n(); j++ {
		pt := lp.part(j, at)
		if ws, we := inWord(pt.s, a.text); ws >= 0 {
			if exactOnly {
				return pt.field*fuzzyField + fuzzyQuality*fuzzyCap, true, true
			}
			return pt.fuzzyWord(a.text, ws, we, pos), false, true
		}
		at += len(pt.s)
	}
	return 0, false, false
}

// groupScore is the best of a group's alternatives (see altScore).
func (lp *lineParts) groupScore(g group, exactOnly bool, pos *[]int) (score int, bound, ok bool) {
	if len(g) == 1 {
		return lp.altScore(g[0], exactOnly, pos)
	}
	best, bestJ := -1, -1
	for j, a := range g {
		sc, b, m := lp.altScore(a, exactOnly, nil)
		if m && sc > best {
			best, bestJ, bound = sc, j, b
		}
	}
	if bestJ < 0 {
		return 0, false, false
	}
	if pos != nil {
		lp.altScore(g[bestJ], exactOnly, pos)
	}
	return best, bound, true
}

// excluded reports whether any of xs occurs in the line.
func (lp *lineParts) excluded(xs []alt) bool {
	for _, x := range xs {
		if _, _, ok := lp.altScore(x, true, nil); ok {
			return true
		}
	}
	return false
}

// The tie-breakers: kind first (a policy, then an asset, then a
// violation), then severity, then open violations. Their sum stays below
// boundStep and posStep's whole range, so they only order equals.
const (
	tieKind = 40
	tieSev  = 8
	tieOpen = 4
	tieMax  = 2*tieKind + 3*tieSev + tieOpen
)

// tieOf is line i's tie-breaker.
func (ix *Index) tieOf(i int) int {
	f := &ix.facets[ix.facet[i]]
	t := int(f.sev) * tieSev
	switch f.flags.kind() {
	case KindPolicy:
		t += 2 * tieKind
	case KindAsset:
		t += tieKind
	}
	if f.flags.violations() {
		t += tieOpen
	}
	return t
}

// severityRank maps a severity tag to 3 (critical) .. 0 (low or none).
func severityRank(s string) uint8 {
	switch s {
	case "critical":
		return 3
	case "high":
		return 2
	case "medium":
		return 1
	}
	return 0
}
