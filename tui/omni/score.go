package omni

import (
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// The scoring constants of github.com/sahilm/fuzzy, which this scorer
// reproduces byte for byte on ASCII lines.
const (
	firstCharMatchBonus            = 10
	matchFollowingSeparatorBonus   = 20
	camelCaseMatchBonus            = 20
	adjacentMatchBonus             = 5
	unmatchedLeadingCharPenalty    = -5
	maxUnmatchedLeadingCharPenalty = -15
)

// inOrder is the cheap pre-check: whether the bytes of term occur in line in
// order. On lower-cased ASCII lines it is exactly the fuzzy match test.
func inOrder(line, term string) bool {
	for k := 0; k < len(term); k++ {
		i := strings.IndexByte(line, term[k])
		if i < 0 {
			return false
		}
		line = line[i+1:]
	}
	return true
}

func isSep(c byte) bool {
	return c == '/' || c == '-' || c == '_' || c == ' ' || c == '.' || c == '\\'
}

// scoreASCII scores one lower-cased term against an ASCII line exactly as
// sahilm/fuzzy does (orig gives the case for its camel-case bonus, lower is
// the same line lower-cased). It returns ok=false when the term does not
// match. When pos is non-nil the matched byte (= rune) positions are
// appended to it.
func scoreASCII(orig, lower, term string, pos *[]int) (score int, ok bool) {
	n := len(lower)
	pi, nMatched := 0, 0
	bestScore, matchedIndex, lastMatch := -1, -1, -1
	currAdj, lastIndex := 0, 0
	var last byte
	for j := 0; j < n; j++ {
		c := lower[j]
		if c == term[pi] {
			s := 0
			if j == 0 {
				s += firstCharMatchBonus
			}
			if co := orig[j]; 'a' <= last && last <= 'z' && 'A' <= co && co <= 'Z' {
				s += camelCaseMatchBonus
			}
			if j != 0 && isSep(last) {
				s += matchFollowingSeparatorBonus
			}
			if nMatched > 0 {
				bonus := 0
				if lastMatch == lastIndex {
					bonus = currAdj*2 + adjacentMatchBonus
				}
				s += bonus
				currAdj += bonus
			}
			if s > bestScore {
				bestScore, matchedIndex = s, j
			}
		}
		var nextp, nextc byte
		if pi < len(term)-1 {
			nextp = term[pi+1]
		}
		if j+1 < n {
			nextc = lower[j+1]
		}
		if nextp == nextc && matchedIndex > -1 {
			if nMatched == 0 {
				bestScore += max(matchedIndex*unmatchedLeadingCharPenalty, maxUnmatchedLeadingCharPenalty)
			}
			score += bestScore
			lastMatch = matchedIndex
			nMatched++
			if pos != nil {
				*pos = append(*pos, matchedIndex)
			}
			bestScore, matchedIndex = -1, -1
			pi++
			if pi == len(term) {
				// Only reachable at the end of the line (nextp is 0 for
				// the last term byte, and nextc is 0 only at the end).
				break
			}
		}
		lastIndex = j
		last = orig[j]
	}
	score += nMatched - n
	return score, nMatched == len(term)
}

// scoreRunes scores a term against a non-ASCII line with sahilm/fuzzy itself
// and converts its byte positions to rune positions.
func scoreRunes(line, term string, pos *[]int) (int, bool) {
	m := fuzzy.Find(term, []string{line})
	if len(m) == 0 {
		return 0, false
	}
	if pos != nil {
		for _, b := range m[0].MatchedIndexes {
			*pos = append(*pos, utf8.RuneCountInString(line[:b]))
		}
	}
	return m[0].Score, true
}
