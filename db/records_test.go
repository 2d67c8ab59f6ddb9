package db_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

func TestScansNewestFirst(t *testing.T) {
	s := memStore(t)
	if _, err := s.LastScan(); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("LastScan on an empty store = %v, want ErrNotFound", err)
	}
	for _, id := range []string{"s1", "s3", "s2"} {
		started := map[string]time.Time{"s1": t0, "s2": t0.Add(time.Hour), "s3": t0.Add(2 * time.Hour)}[id]
		sc := &asset.Scan{ID: id, Started: started, Status: asset.ScanRunning, Source: "aws", By: "alice",
			Units: []asset.Unit{{UnitKey: asset.UnitKey{Account: "1", Region: "us-east-1", Type: asset.TypeVolume}, Status: asset.UnitPending}}}
		if err := s.PutScan(sc); err != nil {
			t.Fatal(err)
		}
	}
	upd := &asset.Scan{ID: "s2", Started: t0.Add(time.Hour), Finished: t0.Add(90 * time.Minute), Status: asset.ScanComplete,
		Units: []asset.Unit{{UnitKey: asset.UnitKey{Account: "1", Region: "us-east-1", Type: asset.TypeVolume},
			Status: asset.UnitComplete, Assets: 12, Duration: time.Second}}}
	if err := s.PutScan(upd); err != nil {
		t.Fatal(err)
	}
	all, err := s.Scans(0)
	if err != nil {
		t.Fatal(err)
	}
	if got := scanIDs(all); !reflect.DeepEqual(got, []string{"s3", "s2", "s1"}) {
		t.Errorf("Scans(0) = %v, want newest first [s3 s2 s1]", got)
	}
	if two, _ := s.Scans(2); !reflect.DeepEqual(scanIDs(two), []string{"s3", "s2"}) {
		t.Errorf("Scans(2) = %v", scanIDs(two))
	}
	got, err := s.Scan("s2")
	if err != nil || got.Status != asset.ScanComplete || got.Units[0].Assets != 12 || !got.Finished.Equal(upd.Finished) {
		t.Errorf("Scan(s2) = %+v, %v; want the updated record", got, err)
	}
	last, err := s.LastScan()
	if err != nil || last.ID != "s3" {
		t.Errorf("LastScan = %v, %v; want s3", last, err)
	}
	if _, err := s.Scan("nope"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Scan(missing) = %v", err)
	}
}

func scanIDs(scans []asset.Scan) []string {
	out := make([]string, len(scans))
	for i, sc := range scans {
		out[i] = sc.ID
	}
	return out
}

func TestViolationsFilter(t *testing.T) {
	s := memStore(t)
	closed := t0.Add(time.Hour)
	vs := []rules.Violation{
		{ID: "v1", PolicyID: "p-a", AssetID: "arn:1", Status: rules.StatusOpen, OpenedAt: t0,
			History: []rules.Transition{{At: t0, To: rules.StatusOpen, By: "scan"}}},
		{ID: "v2", PolicyID: "p-a", AssetID: "arn:2", Status: rules.StatusClosed, ClosedAt: &closed},
		{ID: "v3", PolicyID: "p-b", AssetID: "arn:1", Status: rules.StatusExempt, ExceptionID: "x1"},
	}
	if err := s.PutViolations(vs); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		f    db.ViolationFilter
		want []string
	}{
		{db.ViolationFilter{}, []string{"v1", "v2", "v3"}},
		{db.ViolationFilter{PolicyID: "p-a"}, []string{"v1", "v2"}},
		{db.ViolationFilter{AssetID: "arn:1"}, []string{"v1", "v3"}},
		{db.ViolationFilter{PolicyID: "p-a", AssetID: "arn:1"}, []string{"v1"}},
		{db.ViolationFilter{Status: []string{rules.StatusOpen, rules.StatusExempt}}, []string{"v1", "v3"}},
		{db.ViolationFilter{PolicyID: "p-a", Status: []string{rules.StatusClosed}}, []string{"v2"}},
		{db.ViolationFilter{PolicyID: "p-none"}, nil},
	}
	for _, c := range cases {
		got, err := s.Violations(c.f)
		if err != nil {
			t.Fatal(err)
		}
		var gotIDs []string
		for _, v := range got {
			gotIDs = append(gotIDs, v.ID)
		}
		if !reflect.DeepEqual(gotIDs, c.want) {
			t.Errorf("Violations(%+v) = %v, want %v", c.f, gotIDs, c.want)
		}
	}
	v, err := s.Violation("v2")
	if err != nil || !reflect.DeepEqual(*v, vs[1]) {
		t.Errorf("Violation(v2) = %+v, %v", v, err)
	}
	vs[0].Status = rules.StatusClosed
	if err := s.PutViolations(vs[:1]); err != nil {
		t.Fatal(err)
	}
	if open, _ := s.Violations(db.ViolationFilter{Status: []string{rules.StatusOpen}}); len(open) != 0 {
		t.Errorf("after closing v1, open violations = %d", len(open))
	}
	if _, err := s.Violation("v9"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("Violation(missing) = %v", err)
	}
}

func TestExceptionsGroupsPolicyStates(t *testing.T) {
	s := memStore(t)
	revoked := t0.Add(time.Hour)
	ex := []rules.Exception{
		{ID: "x1", Kind: rules.ExceptionIndividual, ViolationID: "v1", Reason: "vendor", Author: "bob", Created: t0, Expires: t0.Add(48 * time.Hour)},
		{ID: "x2", Kind: rules.ExceptionSticky, PolicyIDs: []string{"p-a"}, Criteria: &groups.Group{Name: "c", Match: map[string][]string{"tags.Env": {"dev"}}},
			Reason: "dev", Author: "eve", Created: t0, RevokedAt: &revoked, RevokedBy: "bob"},
	}
	for i := range ex {
		if err := s.PutException(&ex[i]); err != nil {
			t.Fatal(err)
		}
	}
	gotEx, err := s.Exceptions()
	if err != nil || !reflect.DeepEqual(gotEx, ex) {
		t.Errorf("Exceptions = %+v, %v; want %+v", gotEx, err, ex)
	}

	g := groups.Group{Name: "prod", Types: []string{asset.TypeEC2Instance}, Match: map[string][]string{"tags.Env": {"prod"}}, Source: "store"}
	if err := s.PutGroup(g); err != nil {
		t.Fatal(err)
	}
	if err := s.PutGroup(groups.Group{Name: "tmp"}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteGroup("tmp"); err != nil {
		t.Fatal(err)
	}
	gs, err := s.Groups()
	if err != nil || !reflect.DeepEqual(gs, []groups.Group{g}) {
		t.Errorf("Groups = %+v, %v; want only prod", gs, err)
	}

	on := true
	st := rules.PolicyState{PolicyID: "p-a", Disabled: true, Autofix: &on, By: "alice", At: t0}
	if err := s.PutPolicyState(st); err != nil {
		t.Fatal(err)
	}
	states, err := s.PolicyStates()
	if err != nil || !reflect.DeepEqual(states, map[string]rules.PolicyState{"p-a": st}) {
		t.Errorf("PolicyStates = %+v, %v", states, err)
	}
}

func TestFixRecordsNewestFirst(t *testing.T) {
	s := memStore(t)
	recs := []fix.Record{
		{ID: "f1", Action: "s3-block-public-access", AssetID: "arn:aws:s3:::b", At: t0, Status: fix.RecordApplied,
			Calls: []fix.Call{{Service: "s3", Op: "PutPublicAccessBlock", Params: map[string]any{"Bucket": "b"}}}, Undoable: true},
		{ID: "f2", Action: "ebs-snapshot-private", AssetID: "arn:2", At: t0.Add(time.Minute), Status: fix.RecordRefused},
		{ID: "f3", Action: "undo", AssetID: "arn:aws:s3:::b", At: t0.Add(2 * time.Minute), Status: fix.RecordApplied, UndoOf: "f1"},
	}
	for i := range recs {
		if err := s.PutFixRecord(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	recs[0].UndoneBy = "f3"
	if err := s.PutFixRecord(&recs[0]); err != nil {
		t.Fatal(err)
	}
	all, err := s.FixRecords(0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range all {
		got = append(got, r.ID)
	}
	if !reflect.DeepEqual(got, []string{"f3", "f2", "f1"}) {
		t.Errorf("FixRecords = %v, want [f3 f2 f1] (an update must not duplicate)", got)
	}
	if one, _ := s.FixRecords(1); len(one) != 1 || one[0].ID != "f3" {
		t.Errorf("FixRecords(1) = %+v", one)
	}
	r, err := s.FixRecord("f1")
	if err != nil || r.UndoneBy != "f3" || r.Calls[0].Params["Bucket"] != "b" {
		t.Errorf("FixRecord(f1) = %+v, %v", r, err)
	}
}

func TestTrendPoints(t *testing.T) {
	s := memStore(t)
	put := func(group, day string, overall int) {
		t.Helper()
		p := rules.TrendPoint{Group: group, Domain: "cloud", Day: day, Overall: overall, Categories: map[string]int{"security": overall}}
		if err := s.PutTrendPoint(p); err != nil {
			t.Fatal(err)
		}
	}
	put("all", "2026-02-27", 70)
	put("all", "2026-02-28", 71)
	put("all", "2026-03-01", 72)
	put("all", "2026-03-01", 75) // same day: replaces
	put("all-prod", "2026-03-01", 10)
	if err := s.PutTrendPoint(rules.TrendPoint{Group: "all", Domain: "cloud", Day: "March 1"}); err == nil {
		t.Error("PutTrendPoint accepted a malformed day")
	}
	pts, err := s.TrendPoints("all", "cloud", time.Date(2026, 2, 28, 15, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != 2 || pts[0].Day != "2026-02-28" || pts[1].Overall != 75 {
		t.Errorf("TrendPoints since 02-28 = %+v; want 02-28 and the replaced 03-01 (75)", pts)
	}
	if err := s.PruneTrend(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	pts, _ = s.TrendPoints("all", "cloud", time.Time{})
	if len(pts) != 1 || pts[0].Day != "2026-03-01" {
		t.Errorf("after prune: %+v, want only 2026-03-01", pts)
	}
	if prod, _ := s.TrendPoints("all-prod", "cloud", time.Time{}); len(prod) != 1 {
		t.Errorf("all-prod points = %d, want 1 (kept apart from all)", len(prod))
	}
}

func TestEvalStatesAndAudit(t *testing.T) {
	s := memStore(t)
	marks := map[string]uint64{}
	for i := range 5000 {
		marks[mkAsset("1", "r", "t", i).ID] = uint64(i) * 0x9e3779b97f4a7c15
	}
	if err := s.PutEvalStates(marks); err != nil {
		t.Fatal(err)
	}
	got, err := s.EvalStates()
	if err != nil || !reflect.DeepEqual(got, marks) {
		t.Errorf("EvalStates: %d marks, %v; want %d equal", len(got), err, len(marks))
	}
	// A second put adds and replaces; it does not drop the others.
	if err := s.PutEvalStates(map[string]uint64{"new": 1, mkAsset("1", "r", "t", 7).ID: 99}); err != nil {
		t.Fatal(err)
	}
	marks["new"], marks[mkAsset("1", "r", "t", 7).ID] = 1, 99
	if got, _ := s.EvalStates(); !reflect.DeepEqual(got, marks) {
		t.Errorf("after a partial put: %d marks; want %d with the update", len(got), len(marks))
	}

	for i, action := range []string{"policy.disable", "exception.add", "group.edit"} {
		if err := s.AppendAudit(db.AuditEvent{At: t0.Add(time.Duration(i/2) * time.Second), By: "alice", Action: action, Target: "x"}); err != nil {
			t.Fatal(err)
		}
	}
	ev, err := s.Audit(0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range ev {
		actions = append(actions, e.Action)
	}
	if !reflect.DeepEqual(actions, []string{"group.edit", "exception.add", "policy.disable"}) {
		t.Errorf("Audit = %v, want newest first, same-instant events all kept", actions)
	}
	if two, _ := s.Audit(2); len(two) != 2 {
		t.Errorf("Audit(2) gave %d", len(two))
	}
}
