package db

// arena hands out byte slices carved from large blocks, so a chunk of
// writes costs a few allocations rather than several per entry. Slices stay
// valid until reset, however many blocks the arena moves on to: Badger
// keeps references to keys and values until the transaction commits. After
// reset the blocks are handed out again.
type arena struct {
	buf   []byte   // block being filled
	used  [][]byte // blocks filled since the last reset
	spare [][]byte // blocks free for reuse
}

const arenaBlock = 1 << 20

// copyOf returns a copy of b in the arena.
func (a *arena) copyOf(b []byte) []byte {
	if cap(a.buf)-len(a.buf) < len(b) {
		a.next(len(b))
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[n:len(a.buf):len(a.buf)]
}

// next moves on to a block with room for n bytes, a spare one if it fits.
func (a *arena) next(n int) {
	if a.buf != nil {
		a.used = append(a.used, a.buf)
	}
	if k := len(a.spare); k > 0 && cap(a.spare[k-1]) >= n {
		a.buf = a.spare[k-1][:0]
		a.spare = a.spare[:k-1]
		return
	}
	a.buf = make([]byte, 0, max(arenaBlock, n))
}

// reset makes every block free for reuse: nothing handed out before may be
// used after.
func (a *arena) reset() {
	if a.buf != nil {
		a.used = append(a.used, a.buf)
		a.buf = nil
	}
	a.spare = append(a.spare, a.used...)
	clear(a.used)
	a.used = a.used[:0]
}

// keyOf builds a key (prefix, then fields separated by sep) in the arena.
func (a *arena) keyOf(scratch *[]byte, prefix string, fields ...string) []byte {
	b := append((*scratch)[:0], prefix...)
	for i, f := range fields {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, f...)
	}
	*scratch = b
	return a.copyOf(b)
}
