package db

import (
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// writeV1 stores a as schema 1 did: summary, document and index entry.
func writeV1(t *testing.T, txn *badger.Txn, a *asset.Asset) {
	t.Helper()
	var h hasher
	sum := h.summaryOf(a)
	doc, err := encodeDoc(nil, a)
	if err != nil {
		t.Fatal(err)
	}
	ie := indexEntry{firstSeen: timeNanos(a.FirstSeen), hash: sum.Hash, account: a.Account, typ: a.Type,
		region: a.Region, source: a.Source}
	for k, v := range map[string][]byte{
		string(summaryKey(a.Account, a.Type, a.Region, a.ID)): encodeSummary(nil, &sum),
		string(docKey(a.Account, a.Type, a.Region, a.ID)):     doc,
		string(indexKey(a.ID)):                                encodeIndex(nil, indexV1, ie),
	} {
		if err := txn.Set([]byte(k), v); err != nil {
			t.Fatal(err)
		}
	}
}

// A schema-1 store (here with one asset already upgraded by an upgrade cut
// short) is refused read-only with what to do, and upgraded by a writable
// open: every asset reads back whole and no schema-1 document is left.
func TestOpenUpgradesSchemaV1Store(t *testing.T) {
	dir := t.TempDir() + "/store"
	s, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var old []asset.Asset
	for i, id := range []string{"arn:aws:ec2:r1:1:vpc/a", "arn:aws:ec2:r2:1:vpc/b", "arn:aws:s3:::c"} {
		typ, region := asset.TypeVPC, "r1"
		if i == 1 {
			region = "r2"
		}
		if i == 2 {
			typ, region = asset.TypeS3Bucket, asset.Global
		}
		old = append(old, asset.Asset{ID: id, Type: typ, Account: "1", Region: region, Name: id[len(id)-1:],
			Source: "aws", FirstSeen: t0, LastSeen: t0.Add(time.Duration(i) * time.Hour),
			Tags: map[string]string{"team": "x"}, Attrs: map[string]any{"n": int64(i), "big": strings.Repeat("z", 600*i)}})
	}
	err = s.st.bdb.Update(func(txn *badger.Txn) error {
		for i := range old[:2] {
			writeV1(t, txn, &old[i])
		}
		return txn.Set([]byte(keySchema), []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	// The third asset was upgraded before a crash: schema-2 layout already.
	if err := s.PutAssets(old[2:]); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(dir, Options{ReadOnly: true}); err == nil ||
		!strings.Contains(err.Error(), "has schema v1") || !strings.Contains(err.Error(), "without --read-only") {
		t.Fatalf("read-only open of a schema-1 store: %v; want a refusal saying to open it writable once", err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatalf("open of a schema-1 store: %v", err)
	}
	defer s.Close()
	for i := range old {
		got, err := s.Asset(old[i].ID)
		if err != nil {
			t.Fatalf("after upgrade: %v", err)
		}
		if got.Name != old[i].Name || got.Attrs["big"] != old[i].Attrs["big"] || got.Tags["team"] != "x" ||
			!got.FirstSeen.Equal(t0) || !got.LastSeen.Equal(old[i].LastSeen) {
			t.Errorf("after upgrade, asset %s = %+v; want %+v", old[i].ID, got, old[i])
		}
		if sum, err := s.Summary(old[i].ID); err != nil || sum.Region != old[i].Region {
			t.Errorf("after upgrade, summary %s = %+v, %v", old[i].ID, sum, err)
		}
	}
	n := 0
	if err := s.AssetsOfType(asset.TypeVPC, func(*asset.Asset) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("after upgrade, AssetsOfType(vpc) gave %d assets, %v; want 2", n, err)
	}
	docs, err := s.countPrefix([]byte(pfxDoc))
	if err != nil || docs != 0 {
		t.Errorf("after upgrade, %d schema-1 documents left (%v)", docs, err)
	}
	var schema string
	_ = s.st.bdb.View(func(txn *badger.Txn) error {
		return getValue(txn, []byte(keySchema), func(v []byte) error { schema = string(v); return nil })
	})
	if schema != "2" {
		t.Errorf("after upgrade, schema %q; want 2", schema)
	}
	// An unchanged rescan of an upgraded asset keeps its document.
	sk, ik := summaryKey(old[0].Account, old[0].Type, old[0].Region, old[0].ID), indexKey(old[0].ID)
	var recVersion, sumVersion uint64
	versions := func() (uint64, uint64) {
		var r, v uint64
		_ = s.st.bdb.View(func(txn *badger.Txn) error {
			if it, err := txn.Get(ik); err == nil {
				r = it.Version()
			}
			if it, err := txn.Get(sk); err == nil {
				v = it.Version()
			}
			return nil
		})
		return r, v
	}
	recVersion, sumVersion = versions()
	again := old[0]
	again.LastSeen = t0.Add(48 * time.Hour)
	if err := s.PutAssets([]asset.Asset{again}); err != nil {
		t.Fatal(err)
	}
	if r, v := versions(); r != recVersion || v == sumVersion {
		t.Errorf("unchanged rescan after upgrade: record version %d->%d, summary %d->%d; want record kept",
			recVersion, r, sumVersion, v)
	}
}
