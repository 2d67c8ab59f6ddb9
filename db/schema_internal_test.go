package db

import (
	"strings"
	"testing"

	badger "github.com/dgraph-io/badger/v4"
)

func TestOpenRefusesNewerSchema(t *testing.T) {
	dir := t.TempDir() + "/store"
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.st.bdb.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keySchema), []byte("3")) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, ro := range []bool{false, true} {
		_, err = Open(dir, Options{ReadOnly: ro})
		want := "store " + dir + " has schema v3; this vigil understands up to v2 — upgrade vigil"
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Open(read-only=%v) of a v3 store: %v; want %q", ro, err, want)
		}
	}
	// The refused open released the store: a writable open fails the same
	// clear way, not with a lock error.
	if _, err := Open(dir, Options{}); err == nil || strings.Contains(err.Error(), "in use") {
		t.Errorf("after a refused open: %v", err)
	}
}

func TestNewStoreIsStampedWithSchema(t *testing.T) {
	s, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var got string
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		return getValue(txn, []byte(keySchema), func(v []byte) error { got = string(v); return nil })
	})
	if err != nil || got != "2" {
		t.Errorf("meta/schema = %q, %v; want \"2\"", got, err)
	}
}
