package omni

import (
	"context"
	"fmt"
	"testing"
)

// TestSessionMemoryBounded types a long query that every line matches and
// checks the session remembers at most its budget of matches.
func TestSessionMemoryBounded(t *testing.T) {
	items := make([]Item, 5000)
	for i := range items {
		items[i] = Item{ID: fmt.Sprintf("id-%d", i), Title: "abcdefghijklmnopqrstuvwxyz abcdefghijklmnopqrstuvwxyz"}
	}
	ix := NewIndex(items)
	s := NewSession(ix)
	q := "abcdefghijklmnopqrstuvwxyz abcdefghijklmnop"
	for i := 1; i <= len(q); i++ {
		if r := s.Search(context.Background(), Query{Text: q[:i]}); r.Total != len(items) {
			t.Fatalf("%q: total %d, want %d", q[:i], r.Total, len(items))
		}
	}
	total := 0
	for _, st := range s.path {
		total += len(st.found.idx)
	}
	if total > rememberedPerItem*ix.Len() {
		t.Fatalf("session remembers %d matches, budget %d", total, rememberedPerItem*ix.Len())
	}
	for _, st := range s.path[:len(s.path)-1] {
		if st.found.fixed != nil {
			t.Fatalf("step %q kept per-match details", st.q.Text)
		}
	}
	// Backspace to a forgotten prefix still answers right.
	if r := s.Search(context.Background(), Query{Text: "abc"}); r.Total != len(items) {
		t.Fatalf("after backspace: total %d", r.Total)
	}
}
