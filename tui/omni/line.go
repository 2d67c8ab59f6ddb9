package omni

import "unsafe"

// lineBuf is one searcher's scratch line: a line's parts copied together
// for the scorer, with its case bits from bit 0. A worker keeps one and
// reuses it from candidate to candidate.
type lineBuf struct {
	i    int // the line b holds, plus one (0: none)
	b    []byte
	caps caseBits
}

// full returns line i lower-cased, the case bits that mark its capitals and
// the bit of its first byte. For a line with pieces the string lives in lb
// and is valid until lb is used for another line.
func (ix *Index) full(i int, lb *lineBuf) (string, caseBits, int) {
	if ix.segAt[i] == ix.segAt[i+1] {
		return ix.lowerLine(i), ix.caps, int(ix.off[i])
	}
	if lb.i != i+1 {
		lp := ix.parts(i)
		n := len(lp.own)
		for _, p := range lp.segs {
			n += int(ix.pLen[p])
		}
		words := (n + 63) / 64
		if cap(lb.caps) < words {
			lb.caps = make(caseBits, words)
		}
		caps := lb.caps[:words]
		clear(caps)
		caps.copyBits(0, ix.caps, int(ix.off[i]), len(lp.own))
		b := append(lb.b[:0], lp.own...)
		for _, p := range lp.segs {
			s, at := ix.piece(p)
			caps.copyBits(len(b), ix.pieceCaps, at, len(s))
			b = append(b, s...)
		}
		lb.b, lb.caps, lb.i = b, caps, i+1
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
