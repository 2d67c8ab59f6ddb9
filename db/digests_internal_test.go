package db

import (
	"fmt"
	"testing"
	"time"
)

// A digest announcing more violations than one transaction holds is still
// queued whole: the message and every announcement are stored.
func TestQueueDigestLargerThanOneTransaction(t *testing.T) {
	t.Parallel()
	s, err := Open(t.TempDir(), Options{memTableSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	seen := map[string]DigestSeen{}
	for i := range 20000 {
		seen[fmt.Sprintf("violation-%06d-%s", i, "padding-to-make-the-key-longer")] = DigestSeen{Opened: at}
	}
	m := OutboxMessage{ID: "big", Kind: OutboxEmail, Status: OutboxPending, CreatedAt: at, NextAt: at, Body: make([]byte, 64<<10)}
	if err := s.QueueDigest(m, "all", DigestLast{At: at, Overall: 50}, seen); err != nil {
		t.Fatal(err)
	}
	got, last, ok, err := s.DigestState("all")
	if err != nil || !ok || last.Overall != 50 || len(got) != len(seen) {
		t.Fatalf("stored %d of %d announcements (last %+v, %v, %v)", len(got), len(seen), last, ok, err)
	}
	if _, err := s.OutboxMessage("big"); err != nil {
		t.Fatal(err)
	}
}
