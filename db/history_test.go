package db_test

import (
	"errors"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// histUnit is the unit mkAssets("1", "us-east-1", "aws.ec2.volume", ...) fills.
var histUnit = asset.UnitKey{Account: "1", Region: "us-east-1", Type: "aws.ec2.volume"}

// scanAt records a complete scan started at t and stores assets as its
// one unit, stamped with it.
func scanAt(t *testing.T, s *db.Store, id string, at time.Time, assets []asset.Asset) {
	t.Helper()
	sc := &asset.Scan{ID: id, Started: at, Finished: at.Add(time.Minute), Status: asset.ScanComplete,
		Units: []asset.Unit{{UnitKey: histUnit, Status: asset.UnitComplete}}}
	if err := s.PutScan(sc); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteUnitAt(db.Stamp{Scan: id, At: at}, histUnit, assets); err != nil {
		t.Fatalf("CompleteUnitAt %s: %v", id, err)
	}
}

func TestHistoryKeepsReplacedAndDeletedDocuments(t *testing.T) {
	t.Parallel()
	s := memStore(t)
	day := 24 * time.Hour
	s1, s2, s3 := t0, t0.Add(day), t0.Add(2*day)
	v1 := mkAssets("1", "us-east-1", "aws.ec2.volume", 0, 3)
	scanAt(t, s, "s1", s1, v1)

	v2 := mkAssets("1", "us-east-1", "aws.ec2.volume", 0, 3)
	v2[0].Attrs["state"] = "in-use"                                     // changed
	v2 = append(v2[:2], mkAsset("1", "us-east-1", "aws.ec2.volume", 9)) // 2 removed, 9 added
	scanAt(t, s, "s2", s2, v2)

	// Between s1 and s2: 0 changed, 2 deleted, 9 created.
	got, err := s.ChangedBetween(s2, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{v1[0].ID: true, v1[2].ID: true, v2[2].ID: true}
	if len(got) != len(want) {
		t.Fatalf("changed between = %v, want %v", got, want)
	}
	for _, id := range got {
		if !want[id] {
			t.Errorf("unexpected changed asset %s", id)
		}
	}
	// As of s1 (just before s2 started): the old state, 2 present, 9 absent.
	at1, err := s.DocsAt([]string{v1[0].ID, v1[2].ID, v2[2].ID}, s2)
	if err != nil {
		t.Fatal(err)
	}
	if st := at1[v1[0].ID].Attrs["state"]; st != "available" {
		t.Errorf("state of %s at s1 = %v, want available", v1[0].ID, st)
	}
	if at1[v1[2].ID] == nil || at1[v2[2].ID] != nil {
		t.Errorf("at s1: deleted asset present=%v (want true), new asset present=%v (want false)",
			at1[v1[2].ID] != nil, at1[v2[2].ID] != nil)
	}
	// Now: the new document, the deleted one gone.
	now, err := s.DocsAt([]string{v1[0].ID, v1[2].ID}, s3)
	if err != nil {
		t.Fatal(err)
	}
	if now[v1[0].ID].Attrs["state"] != "in-use" || now[v1[2].ID] != nil {
		t.Errorf("current: state %v (want in-use), deleted present %v", now[v1[0].ID].Attrs["state"], now[v1[2].ID] != nil)
	}
	// AssetAt by time; an unchanged asset has no version and reads as now.
	a, err := s.AssetAt(v1[0].ID, s1.Add(time.Hour))
	if err != nil || a.Attrs["state"] != "available" {
		t.Fatalf("AssetAt before s2 = %v, %v; want state available", a, err)
	}
	if _, err := s.AssetAt(v2[2].ID, s1.Add(time.Hour)); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("AssetAt of an asset created later = %v, want ErrNotFound", err)
	}
	vs, err := s.AssetVersions(v1[0].ID)
	if err != nil || len(vs) != 1 || vs[0].Scan != "s2" || !vs[0].At.Equal(s2) || vs[0].Doc == nil {
		t.Fatalf("versions = %+v, %v; want one replaced by s2", vs, err)
	}
	// A rescan with nothing changed keeps no version.
	scanAt(t, s, "s3", s3, v2)
	if got, _ := s.ChangedBetween(s3, time.Time{}); len(got) != 0 {
		t.Errorf("unchanged rescan kept versions of %v", got)
	}
}

func TestHistoryBeforeItBeganIsRefused(t *testing.T) {
	t.Parallel()
	s := memStore(t)
	scanAt(t, s, "s1", t0, mkAssets("1", "us-east-1", "aws.ec2.volume", 0, 1))
	_, err := s.AssetAt(mkAsset("1", "us-east-1", "aws.ec2.volume", 0).ID, t0.Add(-time.Hour))
	if !errors.Is(err, db.ErrHistoryGone) {
		t.Fatalf("AssetAt before history began = %v, want ErrHistoryGone", err)
	}
}

// versionsOfDays stores one changed document a day for n days and returns
// the asset ID.
func versionsOfDays(t *testing.T, s *db.Store, n int) string {
	t.Helper()
	var id string
	for d := range n {
		a := mkAsset("1", "us-east-1", "aws.ec2.volume", 0)
		a.Attrs["size"] = int64(d)
		id = a.ID
		scanAt(t, s, "s"+time.Duration(d).String(), t0.AddDate(0, 0, d), []asset.Asset{a})
	}
	return id
}

func TestTrimKeepsWhicheverRuleKeepsMore(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		r         db.Retention
		wantKept  int // versions left of the 9 the 10 daily scans made
		wantFloor time.Time
	}{
		// 10 scans on days 0..9, now = day 9. Scans=3: keep versions of
		// days 7,8,9; Days=1 keeps day 8 on: scans keep more.
		{"scans win", db.Retention{Scans: 3, Days: 1}, 3, t0.AddDate(0, 0, 7)},
		// Days=5 keeps days 4..9 (6 versions) where Scans=2 keeps 2.
		{"days win", db.Retention{Scans: 2, Days: 5}, 6, t0.AddDate(0, 0, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := memStore(t)
			id := versionsOfDays(t, s, 10)
			n, err := s.TrimHistory(tc.r, t0.AddDate(0, 0, 9))
			if err != nil {
				t.Fatal(err)
			}
			vs, err := s.AssetVersions(id)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != tc.wantKept || n != 9-tc.wantKept {
				t.Fatalf("kept %d versions (deleted %d), want %d kept", len(vs), n, tc.wantKept)
			}
			if !vs[0].At.Equal(tc.wantFloor) {
				t.Errorf("oldest kept version at %s, want %s", vs[0].At, tc.wantFloor)
			}
			floor, _, err := s.HistoryFloor()
			if err != nil || !floor.Equal(tc.wantFloor) {
				t.Errorf("floor = %s, %v; want %s", floor, err, tc.wantFloor)
			}
			if _, err := s.AssetAt(id, tc.wantFloor.Add(-time.Hour)); !errors.Is(err, db.ErrHistoryGone) {
				t.Errorf("AssetAt before the floor = %v, want ErrHistoryGone", err)
			}
			if got, err := s.ChangedBetween(time.Time{}, tc.wantFloor); err != nil || len(got) != 0 {
				t.Errorf("versions left before the floor: %v, %v", got, err)
			}
		})
	}
}

// A fix that removed the resource between two scans keeps its document:
// the state the first scan left still holds it.
func TestStampedDeleteKeepsTheDocument(t *testing.T) {
	t.Parallel()
	s := memStore(t)
	as := mkAssets("1", "us-east-1", "aws.ec2.volume", 0, 2)
	scanAt(t, s, "s1", t0, as)
	fixAt := t0.Add(time.Hour)
	if err := s.DeleteAssetsAt(db.Stamp{Scan: "fix r1", At: fixAt}, []string{as[0].ID}); err != nil {
		t.Fatal(err)
	}
	docs, err := s.DocsAt([]string{as[0].ID}, fixAt)
	if err != nil || docs[as[0].ID] == nil || docs[as[0].ID].Name != as[0].Name {
		t.Fatalf("document before the fix = %+v, %v; want the stored volume", docs[as[0].ID], err)
	}
	vs, err := s.AssetVersions(as[0].ID)
	if err != nil || len(vs) != 1 || vs[0].Scan != "fix r1" {
		t.Errorf("versions = %+v, %v; want the one the fix kept", vs, err)
	}
	if now, _ := s.DocsAt([]string{as[0].ID}, time.Time{}); now[as[0].ID] != nil {
		t.Error("the deleted asset is still current")
	}
}
