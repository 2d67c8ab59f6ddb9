package db_test

import (
	"testing"

	"github.com/vigil-sec/vigil/groups"
)

func TestDashCacheValidUntilAnyWrite(t *testing.T) {
	s := memStore(t)
	if _, ok, err := s.DashCache("k"); ok || err != nil {
		t.Fatalf("empty store: cache ok=%v, %v", ok, err)
	}
	v := s.DataVersion()
	if saved, err := s.PutDashCache("k", v, []byte("numbers")); !saved || err != nil {
		t.Fatalf("PutDashCache = %v, %v", saved, err)
	}
	if got, ok, err := s.DashCache("k"); !ok || err != nil || string(got) != "numbers" {
		t.Fatalf("DashCache(k) = %q, %v, %v", got, ok, err)
	}
	if _, ok, _ := s.DashCache("other"); ok {
		t.Error("DashCache answered another key")
	}
	// Computed before a write: not saved.
	if err := s.PutGroup(groups.Group{Name: "g"}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.DashCache("k"); ok {
		t.Error("DashCache answered after a write")
	}
	if saved, _ := s.PutDashCache("k", v, []byte("stale")); saved {
		t.Error("PutDashCache saved numbers computed before the last write")
	}
	if _, ok, _ := s.DashCache("k"); ok {
		t.Error("a stale save was answered")
	}
}
