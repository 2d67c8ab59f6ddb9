package omni

import "strings"

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

func isSep(c byte) bool {
	return c == '/' || c == '-' || c == '_' || c == ' ' || c == '.' || c == '\\'
}

// scoreASCII scores one lower-cased term against an ASCII line exactly as
// sahilm/fuzzy does: lower is the line lower-cased, and caps from bit base
// on marks its upper-case letters, for sahilm's camel-case bonus. It returns ok=false when the term does not
// match, and end, where the leftmost in-order match of the term ends. When pos is non-nil
// the matched byte (= rune) positions are appended to it.
//
// sahilm walks every byte; this jumps between the occurrences of the term's
// bytes with strings.IndexByte. Term byte i is placed at the best-scoring
// occurrence between its first occurrence a (from where byte i-1 was placed)
// and the first occurrence of byte i+1 after a (the last byte: the end of
// the line), which is where sahilm commits it.
func scoreASCII(lower string, caps caseBits, base int, term string, pos *[]int) (score, end int, ok bool) {
	n, m := len(lower), len(term)
	currAdj, lastMatch, start := 0, -1, 0
	for pi := 0; pi < m; pi++ {
		c := term[pi]
		a := start // byte pi-1 was placed just before an occurrence of c
		if pi == 0 {
			if a = strings.IndexByte(lower, c); a < 0 {
				return 0, -1, false
			}
		}
		end = a
		end := n
		if pi < m-1 {
			b := strings.IndexByte(lower[a+1:], term[pi+1])
			if b < 0 {
				return 0, -1, false
			}
			end = a + 1 + b
		}
		best, bestJ := -1, -1
		for j := a; ; {
			s := 0
			if j == 0 {
				s += firstCharMatchBonus
			} else {
				last := lower[j-1]
				if caps.upper(base+j) && 'a' <= last && last <= 'z' && !caps.upper(base+j-1) {
					s += camelCaseMatchBonus
				}
				if isSep(last) {
					s += matchFollowingSeparatorBonus
				}
			}
			if pi > 0 && lastMatch == j-1 {
				bonus := currAdj*2 + adjacentMatchBonus
				s += bonus
				currAdj += bonus
			}
			if s > best {
				best, bestJ = s, j
			}
			k := strings.IndexByte(lower[j+1:end], c)
			if k < 0 {
				break
			}
			j += 1 + k
		}
		if pi == 0 {
			best += max(bestJ*unmatchedLeadingCharPenalty, maxUnmatchedLeadingCharPenalty)
		}
		score += best
		lastMatch = bestJ
		if pos != nil {
			*pos = append(*pos, bestJ)
		}
		start = end
	}
	return score + m - n, end, true
}
