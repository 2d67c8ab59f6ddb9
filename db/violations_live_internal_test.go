package db

import (
	"reflect"
	"testing"
	"time"
	"unsafe"

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
	var ld liveDecoder
	if err := ld.decode(raw[:len(raw)-1], &out); err == nil {
		t.Error("a truncated row decoded")
	}
	if err := ld.decode(append(raw, 0), &out); err == nil {
		t.Error("a row with trailing bytes decoded")
	}
	if err := ld.decode(append([]byte{9}, raw[1:]...), &out); err == nil {
		t.Error("a row of an unknown layout decoded")
	}
}

// Live rows decode to what was written. The low-cardinality fields of
// different rows are one string; a row's own text (ID, asset ID and name,
// message, reason, exception ID) is consecutive parts of one string.
func TestLiveRowRoundTripInternsFields(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	closed := t0.Add(time.Hour)
	mk := func(id, asset string) rules.Violation {
		return rules.Violation{ID: id, PolicyID: "s3-public", AssetID: "arn:aws:s3:::" + asset, AssetType: "aws.s3.bucket",
			AssetName: "the " + asset, Account: "111111111111", Region: "us-east-1", Severity: "high", Category: "exposure",
			Status: rules.StatusOpen, Message: "bucket " + asset + " is public", OpenedAt: t0, UpdatedAt: t0}
	}
	want := []rules.Violation{mk("v1", "logs"), mk("v2", "data"), mk("v3", "web")}
	want[2].Status, want[2].Reason, want[2].ExceptionID, want[2].ClosedAt = rules.StatusExempt, "legacy app", "ex-1", &closed
	var ld liveDecoder
	got := make([]rules.Violation, len(want))
	got[0].ClosedAt = &closed // a reused value's ClosedAt does not survive
	for i := range want {
		if err := ld.decode(encodeLiveRow(nil, &want[i]), &got[i]); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	same := func(a, b string) bool { return unsafe.StringData(a) == unsafe.StringData(b) }
	for _, f := range [][2]string{{got[0].PolicyID, got[1].PolicyID}, {got[0].AssetType, got[1].AssetType},
		{got[0].Account, got[1].Account}, {got[0].Region, got[2].Region}, {got[0].Severity, got[2].Severity},
		{got[0].Category, got[2].Category}, {got[0].Status, got[1].Status}} {
		if !same(f[0], f[1]) {
			t.Errorf("%q is not interned", f[0])
		}
	}
	v := got[2]
	parts := []string{v.ID, v.AssetID, v.AssetName, v.Message, v.Reason, v.ExceptionID}
	for i := 1; i < len(parts); i++ {
		end := unsafe.Add(unsafe.Pointer(unsafe.StringData(parts[i-1])), len(parts[i-1]))
		if end != unsafe.Pointer(unsafe.StringData(parts[i])) {
			t.Errorf("%q does not follow %q in the row's string", parts[i], parts[i-1])
		}
	}
	if same(got[0].ID, got[1].ID) || got[0].Reason != "" || got[0].ExceptionID != "" {
		t.Errorf("rows share their own text or hold a reason: %+v", got[0])
	}
	// An asset name that ends the asset ID is that part of it.
	w := mk("v4", "vol-0abc")
	w.AssetID, w.AssetName = "arn:aws:ec2:us-east-1:111111111111:volume/vol-0abc", "vol-0abc"
	var g rules.Violation
	if err := ld.decode(encodeLiveRow(nil, &w), &g); err != nil || !reflect.DeepEqual(g, w) {
		t.Fatalf("row with the name in its asset ID: %+v, %v", g, err)
	}
	tail := unsafe.Add(unsafe.Pointer(unsafe.StringData(g.AssetID)), len(g.AssetID)-len(g.AssetName))
	if unsafe.Pointer(unsafe.StringData(g.AssetName)) != tail {
		t.Error("the asset name is a copy, not the asset ID's tail")
	}
	if unsafe.Add(tail, len(g.AssetName)) != unsafe.Pointer(unsafe.StringData(g.Message)) {
		t.Error("the message does not follow the asset ID")
	}
}

func ids(vs []rules.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}
