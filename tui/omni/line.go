package omni

import "unsafe"

// parts returns line i lower-cased as its head and tag part (tail "" when
// lower holds the line whole), and the bits of their first bytes in caps
// and tagCaps. The tag part begins with its separating space.
func (ix *Index) parts(i int) (head, tail string, hb, tb int) {
	hb = int(ix.off[i])
	head = ix.lower[hb:ix.off[i+1]]
	if i < len(ix.tagLen) && ix.tagLen[i] > 0 {
		tb = int(ix.tagOff[i])
		tail = ix.tags[tb : tb+int(ix.tagLen[i])]
	}
	return head, tail, hb, tb
}

// lineBuf is one searcher's scratch line: the whole lower-cased line of an
// asset, its head and tag part copied together for the scorer, with its
// case bits from bit 0. A worker keeps one and reuses it from candidate to
// candidate.
type lineBuf struct {
	i    int // the line b holds, plus one (0: none)
	b    []byte
	caps caseBits
}

// full returns line i lower-cased, the case bits that mark its capitals and
// the bit of its first byte. For an asset line with a tag part the string
// lives in lb and is valid until lb is used for another line.
func (ix *Index) full(i int, lb *lineBuf) (string, caseBits, int) {
	head, tail, hb, tb := ix.parts(i)
	if tail == "" {
		return head, ix.caps, hb
	}
	if lb.i != i+1 {
		n := len(head) + len(tail)
		words := (n + 63) / 64
		if cap(lb.caps) < words {
			lb.caps = make(caseBits, words)
		}
		caps := lb.caps[:words]
		clear(caps)
		caps.copyBits(0, ix.caps, hb, len(head))
		caps.copyBits(len(head), ix.tagCaps, tb, len(tail))
		lb.b = append(append(lb.b[:0], head...), tail...)
		lb.caps, lb.i = caps, i+1
	}
	return unsafe.String(unsafe.SliceData(lb.b), len(lb.b)), lb.caps, 0
}

// word returns the 64 bits from bit b on (bits past the end read as 0).
func (c caseBits) word(b int) uint64 {
	w, s := b>>6, uint(b&63)
	v := c[w] >> s
	if s != 0 && w+1 < len(c) {
		v |= c[w+1] << (64 - s)
	}
	return v
}

// copyBits ORs n bits of src from bit from into c from bit to.
func (c caseBits) copyBits(to int, src caseBits, from, n int) {
	for k := 0; k < n; k += 64 {
		v := src.word(from + k)
		if n-k < 64 {
			v &= 1<<(n-k) - 1
		}
		if v == 0 {
			continue
		}
		d, s := (to+k)>>6, uint((to+k)&63)
		c[d] |= v << s
		if s != 0 && d+1 < len(c) {
			c[d+1] |= v >> (64 - s)
		}
	}
}
