package db_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// t0 is a fixed clock for fixtures.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// memStore opens an in-memory store closed at the end of the test.
func memStore(t testing.TB) *db.Store {
	t.Helper()
	s, err := db.Open("", db.Options{InMemory: true})
	if err != nil {
		t.Fatalf("open in-memory store: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// diskStore opens a store in a fresh directory; the caller closes it.
func diskStore(t testing.TB) (*db.Store, string) {
	t.Helper()
	dir := t.TempDir() + "/store"
	s, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return s, dir
}

// mkAsset builds an asset with a small but varied attribute document.
func mkAsset(account, region, typ string, i int) asset.Asset {
	id := fmt.Sprintf("arn:aws:%s:%s:%s:res/%d", typ, region, account, i)
	return asset.Asset{
		ID: id, Type: typ, Name: fmt.Sprintf("res-%d", i), Account: account, Region: region,
		Tags:      map[string]string{"Owner": "team-a", "Env": "prod"},
		Source:    "aws",
		FirstSeen: t0, LastSeen: t0,
		Attrs: map[string]any{
			"encrypted": i%2 == 0,
			"size":      int64(i),
			"ratio":     1.5,
			"state":     "available",
			"rules":     []any{map[string]any{"cidr": "0.0.0.0/0", "port": int64(22)}, nil},
			"nested":    map[string]any{"deep": map[string]any{"list": []any{"a", int64(-7), false}}},
		},
	}
}

// mkAssets builds n assets of one unit.
func mkAssets(account, region, typ string, from, n int) []asset.Asset {
	out := make([]asset.Asset, 0, n)
	for i := from; i < from+n; i++ {
		out = append(out, mkAsset(account, region, typ, i))
	}
	return out
}

func mustPut(t testing.TB, s *db.Store, as []asset.Asset) {
	t.Helper()
	if err := s.PutAssets(as); err != nil {
		t.Fatalf("PutAssets: %v", err)
	}
}

// ids returns the sorted-insensitive set of summary IDs.
func ids(sums []asset.Summary) map[string]bool {
	out := make(map[string]bool, len(sums))
	for _, s := range sums {
		out[s.ID] = true
	}
	return out
}

// tag is the value of tag k, "" when it is not set.
func tag(t asset.Tags, k string) string {
	v, _ := t.Get(k)
	return v
}
