package omni

import (
	"unicode"
	"unicode/utf8"
)

// Index is an immutable search index over items. It is safe for concurrent
// searches; build a new one when the items change.
type Index struct {
	items []Item
	// text holds every search line back to back; lower is the same bytes
	// lower-cased with identical byte offsets (a rune whose lower case has
	// another UTF-8 length is kept as it is), so a position in one is the
	// same position in the other.
	text  string
	lower string
	off   []int // line i is text[off[i]:off[i+1]]
	ascii []bool
	// facet values interned per item: index into the names slices.
	typ, acct, reg        []uint32
	typeN, acctN, regN    []string
	typeID, acctID, regID map[string]uint32
}

// NewIndex builds the search lines of items (see the package doc) and
// lower-cases them once. The index keeps a reference to items.
func NewIndex(items []Item) *Index {
	ix := &Index{
		items:  items,
		off:    make([]int, len(items)+1),
		ascii:  make([]bool, len(items)),
		typ:    make([]uint32, len(items)),
		acct:   make([]uint32, len(items)),
		reg:    make([]uint32, len(items)),
		typeID: map[string]uint32{}, acctID: map[string]uint32{}, regID: map[string]uint32{},
	}
	var text []byte
	for i := range items {
		it := &items[i]
		ix.off[i] = len(text)
		text = appendLine(text, it)
		ix.ascii[i] = isASCII(text[ix.off[i]:])
		ix.typ[i] = intern(it.Type, ix.typeID, &ix.typeN)
		ix.acct[i] = intern(it.Account, ix.acctID, &ix.acctN)
		ix.reg[i] = intern(it.Region, ix.regID, &ix.regN)
	}
	ix.off[len(items)] = len(text)
	ix.lower = string(lowerBytes(text))
	ix.text = string(text)
	return ix
}

// Len is the number of items in the index.
func (ix *Index) Len() int { return len(ix.items) }

// Line is the search line of item i, as shown for highlighting.
func (ix *Index) Line(i int) string { return ix.text[ix.off[i]:ix.off[i+1]] }

func (ix *Index) lowerLine(i int) string { return ix.lower[ix.off[i]:ix.off[i+1]] }

func intern(s string, ids map[string]uint32, names *[]string) uint32 {
	if id, ok := ids[s]; ok {
		return id
	}
	id := uint32(len(*names))
	ids[s] = id
	*names = append(*names, s)
	return id
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerBytes returns a lower-cased copy of b with the same length and rune
// boundaries.
func lowerBytes(b []byte) []byte {
	out := make([]byte, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			out[i] = c
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == n {
			utf8.EncodeRune(out[i:], l)
		} else {
			copy(out[i:i+n], b[i:i+n])
		}
		i += n
	}
	return out
}

// lowerString lower-cases a query term the same way lines are lower-cased.
func lowerString(s string) string { return string(lowerBytes([]byte(s))) }
