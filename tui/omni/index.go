package omni

import (
	"math"
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
	more  Items
	n     int
	flags []itemFlags
	// lower holds the search lines back to back, lower-cased without
	// changing any byte offset (a rune whose lower case has another UTF-8
	// length is kept as it is). The original of an ASCII line is lower with
	// the letters caps marks upper-cased; other lines keep their original
	// in orig. (One copy of the text instead of two: 1M lines of ~210 bytes
	// save ~200 MB.) Of an asset's line lower holds only the head, the part
	// before the tags: the tag part " k=v k=v" (with its separator) is in
	// tags, once for every asset with the same tags (see parts).
	lower string
	caps  caseBits
	orig  map[int32]string
	off   []uint32 // line i (its head) is lower[off[i]:off[i+1]]
	// tags holds the distinct tag parts of asset lines, lower-cased, with
	// tagCaps marking their capitals; asset i's is tagLen[i] bytes from
	// tagOff[i] (tagLen 0: the line is whole in lower).
	tags    string
	tagCaps caseBits
	tagOff  []uint32
	tagLen  []uint16
	ascii   []bool
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
func NewIndex(items []Item) *Index { return NewAssetIndex(nil, nil, ItemSlice(items)) }

// Items are items made on demand: an index keeps no Item for them, and
// asks for one only to build its lines and for the hits it returns (so a
// console's 442k violations need no []Item beside the violations).
type Items interface {
	Len() int
	Item(i int) Item
}

// ItemSlice gives a slice of items as Items.
type ItemSlice []Item

// Len is the number of items.
func (s ItemSlice) Len() int { return len(s) }

// Item returns item i.
func (s ItemSlice) Item(i int) Item { return s[i] }

// NewAssetIndex indexes asset summaries (withViolations marks the asset IDs
// with open violations) followed by more items (policies, violations; nil
// for none). It keeps a reference to sums and more and no Item: a hit gets
// a new Item, made from its summary or by more.
func NewAssetIndex(sums []asset.Summary, withViolations map[string]bool, more Items) *Index {
	if more == nil {
		more = ItemSlice(nil)
	}
	n := len(sums) + more.Len()
	ix := &Index{
		sums:   sums,
		more:   more,
		n:      n,
		flags:  make([]itemFlags, n),
		off:    make([]uint32, n+1),
		tagOff: make([]uint32, len(sums)),
		tagLen: make([]uint16, len(sums)),
		ascii:  make([]bool, n),
		typ:    make([]uint32, n),
		acct:   make([]uint32, n),
		reg:    make([]uint32, n),
		typeID: map[string]uint32{}, acctID: map[string]uint32{}, regID: map[string]uint32{},
		orig: map[int32]string{},
	}
	item := func(i int) Item {
		if i < len(sums) {
			return itemOf(&sums[i], withViolations[sums[i].ID])
		}
		return more.Item(i - len(sums))
	}
	// Assets with the same tags (and the same Name tag skipped or not)
	// share one tag part: at 1M demo assets 423k distinct sets.
	type tagKey struct {
		packed string
		skip   bool
	}
	setOf := make([]int32, len(sums)) // -1: the line is held whole
	sets := map[tagKey]int32{}
	var setLen []int
	// The text is written once into buffers of their upper bounds (lines
	// only shrink when cleaned): a growing slice and a final copy cost
	// ~3x the text at peak, over 1 GB at 1M assets.
	bound, tagBound := 0, 0
	for i := range n {
		it := item(i)
		bound += lineBound(&it)
		if i >= len(sums) {
			continue
		}
		setOf[i] = -1
		packed := it.Tags.Packed()
		if packed == "" || len(packed) > math.MaxUint16 {
			continue
		}
		name, _ := it.Tags.Get("Name")
		k := tagKey{packed, name == it.Title}
		id, ok := sets[k]
		if !ok {
			id = int32(len(setLen))
			sets[k] = id
			setLen = append(setLen, len(packed))
			tagBound += len(packed)
		}
		setOf[i] = id
		bound -= len(packed)
	}
	sets = nil
	setAt := make([]int64, len(setLen)) // where each set's part is in tags, or -1
	for id := range setAt {
		setAt[id] = -1
	}
	var text, tags strings.Builder
	text.Grow(bound)
	tags.Grow(tagBound)
	ix.caps = make(caseBits, 0, (bound+63)/64)
	ix.tagCaps = make(caseBits, 0, (tagBound+63)/64)
	var line []byte
	for i := range n {
		it := item(i)
		ix.flags[i] = flagsOf(&it)
		line = appendHead(line[:0], &it)
		head := len(line)
		line = appendTags(line, 0, it.Tags, it.Title, true)
		if ix.ascii[i] = isASCII(line); !ix.ascii[i] {
			ix.orig[int32(i)] = string(line)
		}
		if i < len(sums) && setOf[i] >= 0 && head > 0 && len(line) > head && line[head] == ' ' {
			id := setOf[i]
			if setAt[id] < 0 {
				setAt[id] = int64(tags.Len())
				ix.tagCaps = appendLower(&tags, ix.tagCaps, line[head:])
			}
			ix.tagOff[i], ix.tagLen[i] = uint32(setAt[id]), uint16(len(line)-head)
			line = line[:head]
		}
		ix.off[i] = uint32(text.Len())
		ix.caps = appendLower(&text, ix.caps, line)
		ix.typ[i] = intern(it.Type, ix.typeID, &ix.typeN)
		ix.acct[i] = intern(it.Account, ix.acctID, &ix.acctN)
		ix.reg[i] = intern(it.Region, ix.regID, &ix.regN)
	}
	if text.Len() > math.MaxUint32 || tags.Len() > math.MaxUint32 {
		panic("omni: search text over 4 GiB")
	}
	ix.off[n] = uint32(text.Len())
	ix.lower, ix.tags = text.String(), tags.String()
	return ix
}

// appendLower writes line lower-cased to text and marks its capitals in
// caps, whose bits follow text's bytes; it returns caps.
func appendLower(text *strings.Builder, caps caseBits, line []byte) caseBits {
	at := text.Len()
	for len(caps)*64 < at+len(line) {
		caps = append(caps, 0)
	}
	for j, c := range line {
		if 'A' <= c && c <= 'Z' {
			caps[(at+j)>>6] |= 1 << ((at + j) & 63)
		}
	}
	lowerInPlace(line)
	text.Write(line)
	return caps
}

// item returns item i: one given in an ItemSlice, or a new Item.
func (ix *Index) item(i int) *Item {
	if i >= len(ix.sums) {
		if s, ok := ix.more.(ItemSlice); ok {
			return &s[i-len(ix.sums)] // the caller's item, as NewIndex promises
		}
		it := ix.more.Item(i - len(ix.sums))
		return &it
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
	var lb lineBuf
	lower, caps, base := ix.full(i, &lb)
	b := []byte(lower)
	for j := range b {
		if caps.upper(base + j) {
			b[j] -= 'a' - 'A'
		}
	}
	return string(b)
}

// lowerLine is the part of line i held in lower: all of it, or its head
// when its tag part is in tags.
func (ix *Index) lowerLine(i int) string { return ix.lower[ix.off[i]:ix.off[i+1]] }

// lineLen is the length of line i.
func (ix *Index) lineLen(i int) int {
	n := int(ix.off[i+1] - ix.off[i])
	if i < len(ix.tagLen) {
		n += int(ix.tagLen[i])
	}
	return n
}

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
