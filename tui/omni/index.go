package omni

import (
	"math"
	"slices"
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
	sums []asset.Summary
	more Items
	n    int
	// Each line is its own part, in lower at off[i]:off[i+1], followed by
	// up to maxPieces shared pieces (see appendLineCuts), each held once
	// in pieces for every line that has it: " aws.s3.bucket 111111111111
	// eu-west-1", " Application=ledger CostCenter=cc-1296" and so on. The
	// lines of 1M assets and 442k violations take 157 MB that way instead
	// of 394 MB. Text is lower-cased without changing any byte
	// offset (a rune whose lower case has another UTF-8 length is kept as
	// it is); caps and pieceCaps mark the original's capitals, so the
	// original of an ASCII line is made from them; other lines keep their
	// original in orig.
	lower string
	caps  caseBits
	orig  map[int32]string
	off   []uint32
	// Line i's pieces are segs[segAt[i]:segAt[i+1]], cutLen[i] bytes in
	// all; piece p is pieces[pOff[p]:pOff[p]+pLen[p]], its capitals marked
	// in pieceCaps.
	segAt     []uint32
	cutLen    []uint16
	segs      []uint32
	pieces    string
	pieceCaps caseBits
	pOff      []uint32
	pLen      []uint16
	ascii     []bool
	// An item's facets and flags are facets[facet[i]]: few items differ
	// in them (4 bytes per item instead of 13).
	facet                 []uint32
	facets                []facetSet
	typeN, acctN, regN    []string
	typeID, acctID, regID map[string]uint32
}

// facetSet is what facets filter on: an item's interned type, account and
// region, and its flags.
type facetSet struct {
	typ, acct, reg uint32
	flags          itemFlags
	sev            uint8 // a policy's or violation's severity rank (see severityRank)
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
	return newIndex(sums, withViolations, more, true)
}

// newIndex is NewAssetIndex; shared false holds every line whole, as the
// index did before lines were cut into shared pieces (for tests).
func newIndex(sums []asset.Summary, withViolations map[string]bool, more Items, shared bool) *Index {
	if more == nil {
		more = ItemSlice(nil)
	}
	n := len(sums) + more.Len()
	ix := &Index{
		sums:   sums,
		more:   more,
		n:      n,
		off:    make([]uint32, n+1),
		segAt:  make([]uint32, n+1),
		cutLen: make([]uint16, n),
		ascii:  make([]bool, n),
		facet:  make([]uint32, n),
		typeID: map[string]uint32{}, acctID: map[string]uint32{}, regID: map[string]uint32{},
		orig: map[int32]string{},
	}
	item := func(i int) Item {
		if i < len(sums) {
			return itemOf(&sums[i], withViolations[sums[i].ID])
		}
		return more.Item(i - len(sums))
	}
	// First pass: cut every line into its own part and pieces, number the
	// distinct pieces and size the own text. Both texts are then written
	// into buffers of their exact size (a growing slice and a final copy
	// cost ~3x the text at peak).
	ids := map[string]uint32{}
	var distinct []string
	var line []byte
	var cuts []int
	own, pieceBytes := 0, 0
	for i := range n {
		it := item(i)
		line, cuts = appendLineCuts(line[:0], &it, cuts[:0])
		if !shared {
			cuts = cuts[:0]
		}
		if ix.ascii[i] = isASCII(line); !ix.ascii[i] {
			ix.orig[int32(i)] = string(line)
		}
		head := len(line)
		if len(cuts) > 0 {
			head = cuts[0]
			ix.cutLen[i] = uint16(len(line) - head)
		}
		own += head
		for c, at := range cuts {
			end := len(line)
			if c+1 < len(cuts) {
				end = cuts[c+1]
			}
			id, ok := ids[string(line[at:end])]
			if !ok {
				id = uint32(len(distinct))
				distinct = append(distinct, string(line[at:end]))
				ids[distinct[id]] = id
				pieceBytes += end - at
			}
			ix.segs = append(ix.segs, id)
		}
		if len(ix.segs) > math.MaxUint32 {
			panic("omni: too many pieces")
		}
		ix.segAt[i+1] = uint32(len(ix.segs))
	}
	ids = nil
	ix.segs = slices.Clip(ix.segs)
	if own > math.MaxUint32 || pieceBytes > math.MaxUint32 {
		panic("omni: search text over 4 GiB")
	}
	var text strings.Builder
	text.Grow(pieceBytes)
	ix.pieceCaps = make(caseBits, 0, (pieceBytes+63)/64)
	ix.pOff, ix.pLen = make([]uint32, len(distinct)), make([]uint16, len(distinct))
	for id, piece := range distinct {
		ix.pOff[id], ix.pLen[id] = uint32(text.Len()), uint16(len(piece))
		line = append(line[:0], piece...)
		ix.pieceCaps = appendLower(&text, ix.pieceCaps, line)
		distinct[id] = ""
	}
	ix.pieces = text.String()
	distinct = nil
	text = strings.Builder{}
	text.Grow(own)
	ix.caps = make(caseBits, 0, (own+63)/64)
	sets := map[facetSet]uint32{}
	for i := range n {
		it := item(i)
		if ix.segAt[i] < ix.segAt[i+1] {
			line = appendHead(line[:0], &it) // the own part of a cut line
		} else {
			line = appendLine(line[:0], &it)
		}
		ix.off[i] = uint32(text.Len())
		ix.caps = appendLower(&text, ix.caps, line)
		f := facetSet{
			typ:   intern(it.Type, ix.typeID, &ix.typeN),
			acct:  intern(it.Account, ix.acctID, &ix.acctN),
			reg:   intern(it.Region, ix.regID, &ix.regN),
			flags: flagsOf(&it),
		}
		if it.Kind != KindAsset {
			sev, _ := it.Tags.Get("severity")
			f.sev = severityRank(sev)
		}
		id, ok := sets[f]
		if !ok {
			id = uint32(len(ix.facets))
			sets[f] = id
			ix.facets = append(ix.facets, f)
		}
		ix.facet[i] = id
	}
	ix.off[n] = uint32(text.Len())
	ix.lower = text.String()
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
	it := itemOf(&ix.sums[i], ix.facets[ix.facet[i]].flags.violations())
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

// lowerLine is line i's own part, lower-cased: all of it when it has no
// pieces.
func (ix *Index) lowerLine(i int) string { return ix.lower[ix.off[i]:ix.off[i+1]] }

// lineLen is the length of line i.
func (ix *Index) lineLen(i int) int { return int(ix.off[i+1]-ix.off[i]) + int(ix.cutLen[i]) }

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
