package db_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

func TestAssetRoundTrip(t *testing.T) {
	s := memStore(t)
	want := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	want.Name = "vol \x1b[31mred" // stored as given; cleaning is the display's job
	mustPut(t, s, []asset.Asset{want})

	got, err := s.Asset(want.ID)
	if err != nil {
		t.Fatalf("Asset: %v", err)
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Asset round trip:\n got %#v\nwant %#v", *got, want)
	}
	sum, err := s.Summary(want.ID)
	if err != nil {
		t.Fatalf("Summary: %v", err)
	}
	if !reflect.DeepEqual(sum, want.Summary()) {
		t.Errorf("Summary round trip:\n got %#v\nwant %#v", sum, want.Summary())
	}
	if _, err := s.Asset("arn:missing"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Asset(missing) = %v, want ErrNotFound", err)
	}
	if _, err := s.Summary("arn:missing"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Summary(missing) = %v, want ErrNotFound", err)
	}
}

func TestPutAssetsKeepsFirstSeenAndUpdatesDocument(t *testing.T) {
	s := memStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	mustPut(t, s, []asset.Asset{a})

	later := t0.Add(24 * time.Hour)
	b := a
	b.FirstSeen, b.LastSeen = later, later
	b.Attrs = map[string]any{"encrypted": true}
	mustPut(t, s, []asset.Asset{b})

	got, err := s.Asset(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.FirstSeen.Equal(t0) || !got.LastSeen.Equal(later) {
		t.Errorf("first/last seen = %v/%v, want %v/%v", got.FirstSeen, got.LastSeen, t0, later)
	}
	if !reflect.DeepEqual(got.Attrs, b.Attrs) {
		t.Errorf("attrs = %v, want the new document %v", got.Attrs, b.Attrs)
	}
	sum, _ := s.Summary(a.ID)
	if !sum.FirstSeen.Time().Equal(t0) || sum.Hash != b.Summary().Hash || sum.Hash == a.Summary().Hash {
		t.Errorf("summary first seen %v hash %x; want %v and the new document's hash %x",
			sum.FirstSeen.Time(), sum.Hash, t0, b.Summary().Hash)
	}
	if n, _ := s.CountAssets(); n != 1 {
		t.Errorf("CountAssets = %d after an upsert, want 1", n)
	}
}

func TestPutAssetsNewWithoutFirstSeenGetsLastSeen(t *testing.T) {
	s := memStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	a.FirstSeen = time.Time{}
	mustPut(t, s, []asset.Asset{a})
	sum, err := s.Summary(a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.FirstSeen.Time().Equal(a.LastSeen) {
		t.Errorf("FirstSeen = %v, want LastSeen %v", sum.FirstSeen, a.LastSeen)
	}
}

func TestListingAndCounting(t *testing.T) {
	s := memStore(t)
	var all []asset.Asset
	all = append(all, mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 3000)...)
	all = append(all, mkAssets("111111111111", "eu-west-1", asset.TypeSnapshot, 0, 1200)...)
	all = append(all, mkAssets("222222222222", asset.Global, asset.TypeS3Bucket, 0, 50)...)
	mustPut(t, s, all)

	if n, err := s.CountAssets(); err != nil || n != len(all) {
		t.Fatalf("CountAssets = %d, %v; want %d", n, err, len(all))
	}
	sums, err := s.AllSummaries()
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != len(all) || len(ids(sums)) != len(all) {
		t.Fatalf("AllSummaries: %d (%d distinct), want %d", len(sums), len(ids(sums)), len(all))
	}
	for _, sum := range sums[:10] {
		if sum.Type == "" || sum.Account == "" || tag(sum.Tags, "Owner") != "team-a" {
			t.Fatalf("summary lacks fields: %#v", sum)
		}
	}
	seen := 0
	if err := s.Summaries(func(*asset.Summary) bool { seen++; return seen < 10 }); err != nil {
		t.Fatal(err)
	}
	if seen != 10 {
		t.Errorf("Summaries visited %d after fn returned false at 10", seen)
	}
	snaps := 0
	err = s.AssetsOfType(asset.TypeSnapshot, func(a *asset.Asset) error {
		if a.Type != asset.TypeSnapshot || a.Attrs["state"] != "available" {
			t.Errorf("AssetsOfType(snapshot) gave %s %v", a.Type, a.Attrs)
		}
		snaps++
		return nil
	})
	if err != nil || snaps != 1200 {
		t.Errorf("AssetsOfType(snapshot): %d assets, %v; want 1200", snaps, err)
	}
	stop := errors.New("stop")
	if err := s.AssetsOfType(asset.TypeVolume, func(*asset.Asset) error { return stop }); err != stop {
		t.Errorf("AssetsOfType did not return fn's error: %v", err)
	}
}

func TestDeleteAssets(t *testing.T) {
	s := memStore(t)
	as := mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 5)
	mustPut(t, s, as)
	if err := s.PutEvalStates(map[string]uint64{as[0].ID: 7, as[1].ID: 8}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAssets([]string{as[0].ID, "arn:never-stored"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Asset(as[0].ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("deleted asset still readable: %v", err)
	}
	sums, _ := s.AllSummaries()
	if len(sums) != 4 || ids(sums)[as[0].ID] {
		t.Errorf("summaries after delete: %d, deleted present=%v", len(sums), ids(sums)[as[0].ID])
	}
	marks, _ := s.EvalStates()
	if _, ok := marks[as[0].ID]; ok || marks[as[1].ID] != 8 {
		t.Errorf("eval marks after delete = %v; want only %s", marks, as[1].ID)
	}
}

func TestPutAssetsRejectsBadIdentity(t *testing.T) {
	s := memStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	a.ID = ""
	if err := s.PutAssets([]asset.Asset{a}); err == nil {
		t.Error("PutAssets accepted an asset without ID")
	}
	a = mkAsset("111111111111", "us-east\x00-1", asset.TypeVolume, 1)
	if err := s.PutAssets([]asset.Asset{a}); err == nil {
		t.Error("PutAssets accepted a region with a NUL byte")
	}
}

func TestRescanUpdatesLastSeenEverywhere(t *testing.T) {
	s := memStore(t)
	as := mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 3)
	mustPut(t, s, as)
	later := t0.Add(time.Hour)
	again := mkAssets("111111111111", "us-east-1", asset.TypeVolume, 0, 3)
	for i := range again {
		again[i].FirstSeen, again[i].LastSeen = later, later // unchanged content
	}
	mustPut(t, s, again)

	a, err := s.Asset(as[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !a.LastSeen.Equal(later) || !a.FirstSeen.Equal(t0) {
		t.Errorf("Asset after rescan: first %v last %v; want %v and %v", a.FirstSeen, a.LastSeen, t0, later)
	}
	sum, _ := s.Summary(as[0].ID)
	if !sum.LastSeen.Time().Equal(later) {
		t.Errorf("Summary LastSeen = %v, want %v", sum.LastSeen, later)
	}
	n := 0
	err = s.AssetsOfType(asset.TypeVolume, func(a *asset.Asset) error {
		n++
		if !a.LastSeen.Equal(later) || a.Attrs["state"] != "available" {
			t.Errorf("AssetsOfType after rescan: %s last seen %v, attrs %v", a.ID, a.LastSeen, a.Attrs)
		}
		return nil
	})
	if err != nil || n != 3 {
		t.Errorf("AssetsOfType: %d, %v", n, err)
	}
}

func TestAssetMovingRegionLeavesNoStaleRecord(t *testing.T) {
	s := memStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	mustPut(t, s, []asset.Asset{a})
	b := a
	b.Region = "eu-west-1"
	mustPut(t, s, []asset.Asset{b})
	sums, _ := s.AllSummaries()
	if len(sums) != 1 || sums[0].Region != "eu-west-1" {
		t.Fatalf("summaries after a region move: %+v", sums)
	}
	got, err := s.Asset(a.ID)
	if err != nil || got.Region != "eu-west-1" || !got.FirstSeen.Equal(t0) {
		t.Errorf("Asset after move: %+v, %v", got, err)
	}
	gone, _ := s.CompleteUnit(asset.UnitKey{Account: a.Account, Region: "us-east-1", Type: a.Type}, nil)
	if len(gone) != 0 {
		t.Errorf("the old region's unit still held the moved asset: %+v", gone)
	}
}

// AssetsOfType pairs each document with its own summary across accounts and
// regions, even when only some assets were seen again.
func TestAssetsOfTypeLastSeenAcrossAccountsAndRegions(t *testing.T) {
	s := memStore(t)
	var all []asset.Asset
	for _, acct := range []string{"111111111111", "222222222222", "333333333333"} {
		for _, r := range []string{"eu-west-1", "us-east-1"} {
			all = append(all, mkAssets(acct, r, asset.TypeVolume, 0, 20)...)
		}
	}
	mustPut(t, s, all)
	mustPut(t, s, mkAssets("111111111111", "eu-west-1", asset.TypeSnapshot, 0, 5)) // another type
	later := t0.Add(2 * time.Hour)
	want := map[string]time.Time{}
	var again []asset.Asset
	for i, a := range all {
		want[a.ID] = t0
		if i%3 == 0 {
			a.LastSeen = later
			again = append(again, a)
			want[a.ID] = later
		}
	}
	mustPut(t, s, again)
	n := 0
	err := s.AssetsOfType(asset.TypeVolume, func(a *asset.Asset) error {
		n++
		if !a.LastSeen.Equal(want[a.ID]) {
			t.Errorf("%s: LastSeen %v, want %v", a.ID, a.LastSeen, want[a.ID])
		}
		return nil
	})
	if err != nil || n != len(all) {
		t.Errorf("AssetsOfType: %d assets, %v; want %d", n, err, len(all))
	}
}

// TestFirstPutWithRepeatedIDKeepsOneCopy: a first put into an empty store
// that carries the same ID twice, in two regions, leaves only the later one
// (the fresh-store path must not skip what the index lookup guards).
func TestFirstPutWithRepeatedIDKeepsOneCopy(t *testing.T) {
	s := memStore(t)
	a := mkAsset("111111111111", "us-east-1", asset.TypeVolume, 1)
	b := a
	b.Region = "eu-west-1"
	mustPut(t, s, []asset.Asset{a, b})
	if n, _ := s.CountAssets(); n != 1 {
		t.Errorf("CountAssets = %d after putting one ID twice, want 1", n)
	}
	got, err := s.Asset(a.ID)
	if err != nil || got.Region != "eu-west-1" {
		t.Fatalf("Asset = %+v, %v; want the eu-west-1 copy", got, err)
	}
	n := 0
	if err := s.Summaries(func(*asset.Summary) bool { n++; return true }); err != nil || n != 1 {
		t.Errorf("Summaries walked %d (%v), want 1", n, err)
	}
}

// AssetsOfType finds a type's assets however their IDs interleave with
// other types' (short runs are stepped over, long ones sought past).
func TestAssetsOfTypeWithInterleavedIDs(t *testing.T) {
	s := memStore(t)
	types := []string{asset.TypeVolume, asset.TypeSnapshot, asset.TypeVPC}
	var all []asset.Asset
	want := map[string]map[string]time.Time{}
	run := []int{1, 3, 40, 2, 17, 16, 15, 1, 60, 5} // lengths of same-type runs in ID order
	id := 0
	for i, n := range run {
		typ := types[i%len(types)]
		for range n {
			a := mkAsset("111111111111", "eu-west-1", typ, id)
			a.ID = fmt.Sprintf("id-%05d", id)
			a.LastSeen = t0.Add(time.Duration(id) * time.Minute)
			all = append(all, a)
			if want[typ] == nil {
				want[typ] = map[string]time.Time{}
			}
			want[typ][a.ID] = a.LastSeen
			id++
		}
	}
	mustPut(t, s, all)
	for _, typ := range types {
		got := map[string]time.Time{}
		err := s.AssetsOfType(typ, func(a *asset.Asset) error {
			if a.Type != typ {
				t.Errorf("AssetsOfType(%s) gave %s of type %s", typ, a.ID, a.Type)
			}
			got[a.ID] = a.LastSeen
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want[typ]) {
			t.Errorf("AssetsOfType(%s): %d assets, want %d", typ, len(got), len(want[typ]))
		}
		for id, ls := range want[typ] {
			if g, ok := got[id]; !ok || !g.Equal(ls) {
				t.Errorf("AssetsOfType(%s): %s LastSeen %v (found %v), want %v", typ, id, g, ok, ls)
			}
		}
	}
}
