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

// inOrder is the cheap pre-check: whether the bytes of term occur in line
// in order from byte from on. It returns where the leftmost such occurrence
// of the last byte is, or -1. On lower-cased ASCII lines it is exactly the
// fuzzy match test, and a longer term can resume from where a shorter one
// ended.
func inOrder(line string, from int, term string) int {
	end := -1
	for k := 0; k < len(term); k++ {
		i := strings.IndexByte(line[from:], term[k])
		if i < 0 {
			return -1
		}
		end = from + i
		from = end + 1
	}
	return end
}

func isSep(c byte) bool {
	return c == '/' || c == '-' || c == '_' || c == ' ' || c == '.' || c == '\\'
}

// scoreASCII scores one lower-cased term against an ASCII line exactly as
// sahilm/fuzzy does: lower is the line lower-cased, and caps from bit base
// on marks its upper-case letters, for sahilm's camel-case bonus. It returns ok=false when the term does not
// match, and end, where inOrder(lower, 0, term) ends. When pos is non-nil
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

// maxBonus bounds what scoreASCII can add for a term of m bytes beyond its
// length penalty when at most adj of its bytes directly follow the byte
// matched before them: at most 20 per byte (a separator or camel-case
// bonus, or 10 for the first byte of the line) plus the adjacency bonuses,
// which grow 5, 15, 45, ... with each adjacent byte (they never reset).
// Terms are at most maxPruneTerm bytes long for this to hold without
// overflow (sahilm's own scores overflow int64 from about 40).
func maxBonus(m, adj int) int {
	total, curr := 20*m, 0
	for i := 0; i < adj; i++ {
		b := curr*2 + adjacentMatchBonus
		curr += b
		total += b
	}
	return total
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
