package demo

import (
	"testing"
	"time"
)

// BenchmarkAssets1M measures generating a million-asset estate.
func BenchmarkAssets1M(b *testing.B) {
	now := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	for b.Loop() {
		as := Assets(1, 1_000_000, now)
		if len(as) != 1_000_000 {
			b.Fatalf("got %d assets, want 1000000", len(as))
		}
	}
}

// BenchmarkInventory measures generating the 3,000-asset demo inventory.
func BenchmarkInventory(b *testing.B) {
	now := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	for b.Loop() {
		if len(Inventory(now)) != InventorySize {
			b.Fatal("inventory has the wrong size")
		}
	}
}
