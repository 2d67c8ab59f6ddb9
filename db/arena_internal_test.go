package db

import (
	"bytes"
	"testing"
)

// Slices handed out before a reset keep their bytes however many blocks
// the arena moves through; after a reset the same blocks serve again.
func TestArenaKeepsSlicesUntilResetThenReusesBlocks(t *testing.T) {
	var a arena
	rec := bytes.Repeat([]byte{'x'}, 1000)
	var got [][]byte
	for i := range 3000 { // about three blocks
		rec[0] = byte(i)
		got = append(got, a.copyOf(rec))
	}
	for i, g := range got {
		rec[0] = byte(i)
		if !bytes.Equal(g, rec) {
			t.Fatalf("slice %d changed before reset", i)
		}
	}
	a.reset()
	allocs := testing.AllocsPerRun(5, func() {
		for range 3000 {
			a.copyOf(rec)
		}
		a.reset()
	})
	if allocs != 0 {
		t.Errorf("refilling after reset allocated %.0f times; want the blocks reused", allocs)
	}
}
