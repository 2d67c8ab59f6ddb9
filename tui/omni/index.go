package omni

import (
	"unicode"
	"unicode/utf8"
)

// Index is an immutable search index over items. It is safe for concurrent
// searches; build a new one when the items change.
type Index struct {
	items []Item
	// lower holds every search line back to back, lower-cased without
	// changing any byte offset (a rune whose lower case has another UTF-8
	// length is kept as it is). The original of an ASCII line is lower with
	// the letters caps marks upper-cased; other lines keep their original
	// in orig. (One copy of the text instead of two: 1M lines of ~210 bytes
	// save ~200 MB.)
	lower string
	caps  caseBits
	orig  map[int32]string
	off   []int // line i is lower[off[i]:off[i+1]]
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
		orig: map[int32]string{},
	}
	var text []byte
	for i := range items {
		it := &items[i]
		ix.off[i] = len(text)
		text = appendLine(text, it)
		if ix.ascii[i] = isASCII(text[ix.off[i]:]); !ix.ascii[i] {
			ix.orig[int32(i)] = string(text[ix.off[i]:])
		}
		ix.typ[i] = intern(it.Type, ix.typeID, &ix.typeN)
		ix.acct[i] = intern(it.Account, ix.acctID, &ix.acctN)
		ix.reg[i] = intern(it.Region, ix.regID, &ix.regN)
	}
	ix.off[len(items)] = len(text)
	ix.caps = make(caseBits, (len(text)+63)/64)
	for b, c := range text {
		if 'A' <= c && c <= 'Z' {
			ix.caps[b>>6] |= 1 << (b & 63)
		}
	}
	lowerInPlace(text)
	ix.lower = string(text)
	return ix
}

// caseBits marks, one bit per byte of the line text, the upper-case ASCII
// letters of the original lines.
type caseBits []uint64

func (c caseBits) upper(b int) bool { return c[b>>6]&(1<<(b&63)) != 0 }

// Len is the number of items in the index.
func (ix *Index) Len() int { return len(ix.items) }

// Line is the search line of item i, as shown for highlighting.
func (ix *Index) Line(i int) string {
	if !ix.ascii[i] {
		return ix.orig[int32(i)]
	}
	b := []byte(ix.lowerLine(i))
	for j := range b {
		if ix.caps.upper(ix.off[i] + j) {
			b[j] -= 'a' - 'A'
		}
	}
	return string(b)
}

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

// lowerInPlace lower-cases b keeping its length and rune boundaries.
func lowerInPlace(b []byte) {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == n {
			utf8.EncodeRune(b[i:], l)
		}
		i += n
	}
}

// lowerString lower-cases a query term the same way lines are lower-cased.
func lowerString(s string) string {
	b := []byte(s)
	lowerInPlace(b)
	return string(b)
}
