package db

// arena hands out byte slices carved from large blocks, so a chunk of
// writes costs a few allocations rather than several per entry. Slices stay
// valid after the arena moves on to a new block: Badger keeps references to
// keys and values until the transaction commits.
type arena struct{ buf []byte }

const arenaBlock = 1 << 20

// copyOf returns a copy of b in the arena.
func (a *arena) copyOf(b []byte) []byte {
	if cap(a.buf)-len(a.buf) < len(b) {
		a.buf = make([]byte, 0, max(arenaBlock, len(b)))
	}
	n := len(a.buf)
	a.buf = append(a.buf, b...)
	return a.buf[n:len(a.buf):len(a.buf)]
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
