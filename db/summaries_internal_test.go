package db

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
	"slices"
	"testing"
	"time"
	"unsafe"

	"github.com/vigil-sec/vigil/asset"
)

// AllSummaries reads work units in parallel; with data both in tables and
// in memtables they must cover every summary exactly once, in key order.
func TestAllSummariesParallelRangesCoverEverything(t *testing.T) {
	dir := t.TempDir() + "/store"
	s, err := Open(dir, Options{memTableSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20000
	as := make([]asset.Asset, n)
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range as {
		// every (account, type) pair occurs, whatever the number of types
		acct := fmt.Sprintf("%012d", (i/len(asset.AWSTypes))%7)
		as[i] = asset.Asset{ID: fmt.Sprintf("arn:x:%d", i), Type: asset.AWSTypes[i%len(asset.AWSTypes)], Account: acct,
			Region: "us-east-1", Name: fmt.Sprint(i), FirstSeen: now, LastSeen: now, Attrs: map[string]any{"i": int64(i)}}
	}
	if err := s.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil { // flushes the memtables into tables
		t.Fatal(err)
	}
	s, err = Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	extra := []asset.Asset{{ID: "arn:x:late", Type: asset.TypeVPC, Account: "000000000003", Region: "eu-west-1", LastSeen: now}}
	if err := s.PutAssets(extra); err != nil { // stays in the memtable
		t.Fatal(err)
	}
	as = append(as, extra...)
	units, err := s.summaryUnits()
	if err != nil || len(units) != 7*len(asset.AWSTypes) {
		t.Fatalf("work units: %d, %v; want one per type and account (%d)", len(units), err, 7*len(asset.AWSTypes))
	}
	sums, err := s.AllSummaries()
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(as) {
		t.Fatalf("AllSummaries gave %d, want %d", len(sums), len(as))
	}
	seen := map[string]bool{}
	keys := make([]string, len(sums))
	for i, sm := range sums {
		if seen[sm.ID] {
			t.Fatalf("summary %s loaded twice", sm.ID)
		}
		seen[sm.ID] = true
		keys[i] = string(summaryKey(sm.Account, sm.Type, sm.Region, sm.ID))
	}
	if !slices.IsSorted(keys) {
		t.Error("AllSummaries is not in key order")
	}
}

// An unchanged document is not rewritten on a rescan; its summary is.
func TestRescanSkipsUnchangedDocuments(t *testing.T) {
	s, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	a := asset.Asset{ID: "arn:x:1", Type: asset.TypeVPC, Account: "1", Region: "r", LastSeen: t0, Attrs: map[string]any{"a": int64(1)}}
	if err := s.PutAssets([]asset.Asset{a}); err != nil {
		t.Fatal(err)
	}
	version := func(k []byte) uint64 {
		var v uint64
		_ = s.st.bdb.View(func(txn *badger.Txn) error {
			it, err := txn.Get(k)
			if err == nil {
				v = it.Version()
			}
			return err
		})
		return v
	}
	dk, sk := indexKey(a.ID), summaryKey(a.Account, a.Type, a.Region, a.ID)
	d0, s0 := version(dk), version(sk)
	a.LastSeen = t0.Add(time.Hour)
	if err := s.PutAssets([]asset.Asset{a}); err != nil {
		t.Fatal(err)
	}
	if version(dk) != d0 || version(sk) == s0 {
		t.Errorf("unchanged rescan: document version %d->%d, summary %d->%d; want document kept, summary rewritten",
			d0, version(dk), s0, version(sk))
	}
	a.Attrs = map[string]any{"a": int64(2)}
	if err := s.PutAssets([]asset.Asset{a}); err != nil {
		t.Fatal(err)
	}
	if version(dk) == d0 {
		t.Error("a changed document was not rewritten")
	}
}

// A load returns what was written, and summaries with equal tags,
// whichever unit and worker decoded them, hold one string for them (from
// the first summary here; AllSummaries starts sharing past
// shareTagsAfter).
func TestAllSummariesShareTagSets(t *testing.T) {
	s, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	sets := []map[string]string{{"env": "prod", "team": "a"}, {"env": "dev"}, nil}
	as := make([]asset.Asset, 3000)
	for i := range as {
		as[i] = asset.Asset{ID: fmt.Sprintf("arn:x:%d", i), Type: asset.AWSTypes[i%len(asset.AWSTypes)],
			Account: fmt.Sprintf("%012d", i%7), Region: "us-east-1", Name: fmt.Sprint("n", i), Tags: sets[i%len(sets)],
			FirstSeen: now, LastSeen: now, Attrs: map[string]any{"i": int64(i)}}
	}
	if err := s.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	sums, err := s.allSummaries(0)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]asset.Summary{}
	for _, sm := range sums {
		byID[sm.ID] = sm
	}
	backing := map[string]*byte{}
	for i := range as {
		want := as[i].Summary()
		got, ok := byID[want.ID]
		if !ok || got != want {
			t.Fatalf("summary %s:\n got %#v\nwant %#v", want.ID, got, want)
		}
		if got.Tags.IsZero() {
			continue
		}
		p := unsafe.StringData(got.Tags.Packed())
		if first, ok := backing[got.Tags.Packed()]; ok && first != p {
			t.Fatalf("summary %s keeps its own copy of tags %v", got.ID, got.Tags.Map())
		}
		backing[got.Tags.Packed()] = p
	}
	if len(backing) != 2 {
		t.Errorf("%d distinct tag strings, want 2", len(backing))
	}
}

// Below shareTagsAfter summaries a load shares no tag set: on a small
// store the table would cost more time than the memory it saves.
func TestAllSummariesSmallStoreKeepsOwnTags(t *testing.T) {
	s, err := Open("", Options{InMemory: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tags := map[string]string{"env": "prod"}
	as := []asset.Asset{{ID: "arn:x:1", Type: asset.TypeVPC, Account: "1", Region: "r", Tags: tags},
		{ID: "arn:x:2", Type: asset.TypeVPC, Account: "1", Region: "r", Tags: tags}}
	if err := s.PutAssets(as); err != nil {
		t.Fatal(err)
	}
	sums, err := s.AllSummaries()
	if err != nil || len(sums) != 2 {
		t.Fatalf("AllSummaries = %d, %v", len(sums), err)
	}
	if sums[0].Tags != sums[1].Tags || unsafe.StringData(sums[0].Tags.Packed()) == unsafe.StringData(sums[1].Tags.Packed()) {
		t.Errorf("tags %v and %v: want equal, each in its own string", sums[0].Tags.Map(), sums[1].Tags.Map())
	}
}
