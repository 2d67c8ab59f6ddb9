package db

import (
	"reflect"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/rules"
)

// dropLiveIndex makes the store look as one written before the live
// index: no v/l/ rows and no marker.
func dropLiveIndex(t *testing.T, s *Store) {
	t.Helper()
	err := s.st.bdb.DropPrefix([]byte(pfxVioLive), []byte(keyLiveIndex))
	if err != nil {
		t.Fatal(err)
	}
}

func TestLiveIndexBuiltForOlderStore(t *testing.T) {
	dir := t.TempDir() + "/store"
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	vs := []rules.Violation{
		{ID: "a", PolicyID: "p", AssetID: "arn:1", Status: rules.StatusOpen, Message: "m", OpenedAt: t0,
			History: []rules.Transition{{At: t0, To: rules.StatusOpen, By: "scan"}}},
		{ID: "b", PolicyID: "p", AssetID: "arn:2", Status: rules.StatusClosed},
		{ID: "c", PolicyID: "p", AssetID: "arn:3", Status: rules.StatusExempt, ExceptionID: "x"},
	}
	if err := s.PutViolations(vs); err != nil {
		t.Fatal(err)
	}
	dropLiveIndex(t, s)
	if ok, _ := s.hasLiveIndex(); ok {
		t.Fatal("the marker survived dropLiveIndex")
	}
	// Without the index (a read-only open of an old store) the full
	// records answer, still without history.
	got, err := s.LiveViolations()
	if err != nil || !reflect.DeepEqual(ids(got), []string{"a", "c"}) || got[0].History != nil {
		t.Errorf("LiveViolations() without the index = %+v, %v", got, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ok, _ := s.hasLiveIndex(); !ok {
		t.Fatal("a writable open did not build the live index")
	}
	var rows int
	_ = s.st.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(pfxVioLive)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			rows++
		}
		return nil
	})
	if rows != 2 {
		t.Errorf("built index has %d rows, want 2 (open a, exempt c)", rows)
	}
	got, err = s.LiveViolations()
	want := []rules.Violation{vs[0], vs[2]}
	want[0].History = nil
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("LiveViolations() after the build =\n%+v, %v\nwant\n%+v", got, err, want)
	}
}

func TestLiveRowRejectsGarbage(t *testing.T) {
	v := rules.Violation{ID: "x", Status: rules.StatusOpen}
	raw := encodeLiveRow(nil, &v)
	var out rules.Violation
	if err := decodeLiveRow(raw[:len(raw)-1], &out); err == nil {
		t.Error("a truncated row decoded")
	}
	if err := decodeLiveRow(append([]byte{9}, raw[1:]...), &out); err == nil {
		t.Error("a row of an unknown layout decoded")
	}
}

func ids(vs []rules.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}
