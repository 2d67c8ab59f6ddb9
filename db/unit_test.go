package db_test

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestCompleteUnitDeletesOnlyTheUnitsMissingMembers(t *testing.T) {
	s := memStore(t)
	const acct, other = "111111111111", "222222222222"
	east := mkAssets(acct, "us-east-1", asset.TypeVolume, 0, 10)
	west := mkAssets(acct, "us-west-2", asset.TypeVolume, 100, 5)
	snaps := mkAssets(acct, "us-east-1", asset.TypeSnapshot, 0, 3)
	otherAcct := mkAssets(other, "us-east-1", asset.TypeVolume, 0, 4)
	for _, set := range [][]asset.Asset{east, west, snaps, otherAcct} {
		mustPut(t, s, set)
	}

	// The east listing now has volumes 0-5 and a new one, 50.
	listing := append(mkAssets(acct, "us-east-1", asset.TypeVolume, 0, 6), mkAsset(acct, "us-east-1", asset.TypeVolume, 50))
	gone, err := s.CompleteUnit(asset.UnitKey{Account: acct, Region: "us-east-1", Type: asset.TypeVolume}, listing)
	if err != nil {
		t.Fatal(err)
	}
	want := ids(summaries(east[6:]))
	if got := ids(gone); len(gone) != 4 || !equalSets(got, want) {
		t.Errorf("deleted %v, want %v", got, want)
	}
	all, _ := s.AllSummaries()
	have := ids(all)
	for _, keep := range [][]asset.Asset{east[:6], west, snaps, otherAcct, listing[6:]} {
		for _, a := range keep {
			if !have[a.ID] {
				t.Errorf("%s was deleted but is not a missing member of the unit", a.ID)
			}
		}
	}
	if len(all) != 6+1+5+3+4 {
		t.Errorf("%d assets remain, want 19", len(all))
	}
}

func TestCompleteGlobalUnitCoversAllRegionsOfAccountAndType(t *testing.T) {
	s := memStore(t)
	const acct = "111111111111"
	a := mkAssets(acct, "us-east-1", asset.TypeS3Bucket, 0, 3)
	b := mkAssets(acct, "eu-west-1", asset.TypeS3Bucket, 10, 3)
	keepOther := mkAssets("222222222222", "us-east-1", asset.TypeS3Bucket, 0, 2)
	keepType := mkAssets(acct, "us-east-1", asset.TypeIAMUser, 0, 2)
	for _, set := range [][]asset.Asset{a, b, keepOther, keepType} {
		mustPut(t, s, set)
	}
	gone, err := s.CompleteUnit(asset.UnitKey{Account: acct, Region: asset.Global, Type: asset.TypeS3Bucket}, a[:1])
	if err != nil {
		t.Fatal(err)
	}
	want := ids(summaries(append(append([]asset.Asset{}, a[1:]...), b...)))
	if !equalSets(ids(gone), want) {
		t.Errorf("global unit deleted %v, want %v", ids(gone), want)
	}
	if n, _ := s.CountAssets(); n != 1+2+2 {
		t.Errorf("%d assets remain, want 5", n)
	}
}

func TestCompleteUnitEmptyListingDeletesAllMembers(t *testing.T) {
	s := memStore(t)
	as := mkAssets("111111111111", "us-east-1", asset.TypeEIP, 0, 3)
	mustPut(t, s, as)
	gone, err := s.CompleteUnit(asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: asset.TypeEIP}, nil)
	if err != nil || len(gone) != 3 {
		t.Fatalf("CompleteUnit(empty) deleted %d, %v; want 3", len(gone), err)
	}
	if gone[0].Name == "" || gone[0].Hash == 0 {
		t.Errorf("deleted summary is not the full summary: %#v", gone[0])
	}
	if n, _ := s.CountAssets(); n != 0 {
		t.Errorf("%d assets remain", n)
	}
}

func summaries(as []asset.Asset) []asset.Summary {
	out := make([]asset.Summary, len(as))
	for i := range as {
		out[i] = as[i].Summary()
	}
	return out
}

func equalSets(a, b map[string]bool) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

func TestCompleteUnitDropsEvaluationMarksOfDeletedAssets(t *testing.T) {
	s := memStore(t)
	as := mkAssets("111111111111", "us-east-1", asset.TypeEIP, 0, 3)
	mustPut(t, s, as)
	if err := s.PutEvalStates(map[string]uint64{as[0].ID: 1, as[1].ID: 2, as[2].ID: 3, "other": 4}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteUnit(asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: asset.TypeEIP}, as[:1]); err != nil {
		t.Fatal(err)
	}
	marks, err := s.EvalStates()
	if err != nil {
		t.Fatal(err)
	}
	if len(marks) != 2 || marks[as[0].ID] != 1 || marks["other"] != 4 {
		t.Errorf("marks after CompleteUnit = %v; want only %s and other", marks, as[0].ID)
	}
}
