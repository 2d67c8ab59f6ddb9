package omni

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigil-sec/vigil/asset"
)

// Index is an immutable search index over items. It is safe for concurrent
// searches; build a new one when the items change.
type Index struct {
	// Items 0..len(sums)-1 are assets read from sums (no Item kept for
	// them: at 1M assets an []Item copy is ~100 MB); the rest are items.
	sums  []asset.Summary
	items []Item
	n     int
	flags []itemFlags
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

// itemFlags holds an item's kind and, in bit 7, whether it has violations.
type itemFlags uint8

const flagViolations itemFlags = 1 << 7

func flagsOf(it *Item) itemFlags {
	f := itemFlags(it.Kind) &^ flagViolations
	if it.HasViolations {
		f |= flagViolations
	}
	return f
}

func (f itemFlags) kind() Kind { return Kind(f &^ flagViolations) }

func (f itemFlags) violations() bool { return f&flagViolations != 0 }

// NewIndex builds the search lines of items (see the package doc) and
// lower-cases them once. The index keeps a reference to items.
func NewIndex(items []Item) *Index { return NewAssetIndex(nil, nil, items) }

// NewAssetIndex indexes asset summaries (withViolations marks the asset IDs
// with open violations) followed by more items (policies, violations). It
// keeps a reference to sums and more and no per-asset Item: a hit on an
// asset gets a new Item made from its summary.
func NewAssetIndex(sums []asset.Summary, withViolations map[string]bool, more []Item) *Index {
	n := len(sums) + len(more)
	ix := &Index{
		sums:   sums,
		items:  more,
		n:      n,
		flags:  make([]itemFlags, n),
		off:    make([]int, n+1),
		ascii:  make([]bool, n),
		typ:    make([]uint32, n),
		acct:   make([]uint32, n),
		reg:    make([]uint32, n),
		typeID: map[string]uint32{}, acctID: map[string]uint32{}, regID: map[string]uint32{},
		orig: map[int32]string{},
	}
	// The text is written once into a buffer of its upper bound (lines
	// only shrink when cleaned): a growing slice and a final copy cost
	// ~3x the text at peak, over 1 GB at 1M assets.
	item := func(i int) Item {
		if i < len(sums) {
			return itemOf(&sums[i], withViolations[sums[i].ID])
		}
		return more[i-len(sums)]
	}
	bound := 0
	for i := range n {
		it := item(i)
		bound += lineBound(&it)
	}
	var text strings.Builder
	text.Grow(bound)
	ix.caps = make(caseBits, 0, (bound+63)/64)
	var line []byte
	for i := range n {
		it := item(i)
		ix.flags[i] = flagsOf(&it)
		at := text.Len()
		ix.off[i] = at
		line = appendLine(line[:0], &it)
		if ix.ascii[i] = isASCII(line); !ix.ascii[i] {
			ix.orig[int32(i)] = string(line)
		}
		for len(ix.caps)*64 < at+len(line) {
			ix.caps = append(ix.caps, 0)
		}
		for j, c := range line {
			if 'A' <= c && c <= 'Z' {
				ix.caps[(at+j)>>6] |= 1 << ((at + j) & 63)
			}
		}
		lowerInPlace(line)
		text.Write(line)
		ix.typ[i] = intern(it.Type, ix.typeID, &ix.typeN)
		ix.acct[i] = intern(it.Account, ix.acctID, &ix.acctN)
		ix.reg[i] = intern(it.Region, ix.regID, &ix.regN)
	}
	ix.off[n] = text.Len()
	ix.lower = text.String()
	return ix
}

// item returns item i: one of the items given, or a new Item for an asset.
func (ix *Index) item(i int) *Item {
	if i >= len(ix.sums) {
		return &ix.items[i-len(ix.sums)]
	}
	it := itemOf(&ix.sums[i], ix.flags[i].violations())
	return &it
}

// caseBits marks, one bit per byte of the line text, the upper-case ASCII
// letters of the original lines.
type caseBits []uint64

func (c caseBits) upper(b int) bool { return c[b>>6]&(1<<(b&63)) != 0 }

// Len is the number of items in the index.
func (ix *Index) Len() int { return ix.n }

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
