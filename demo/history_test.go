package demo

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// evaluatedStore opens a store holding the demo inventory, its violations
// from a real evaluation with the built-in pack, and today's trend point of
// the `all` group — what the cycle leaves before History runs.
func evaluatedStore(t *testing.T) (*db.Store, rules.TrendPoint) {
	t.Helper()
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	inv := Inventory(testNow)
	if err := st.PutAssets(inv); err != nil {
		t.Fatalf("put assets: %v", err)
	}
	policies, errs := rules.LoadAll()
	if len(errs) > 0 {
		t.Fatalf("load policies: %v", errs)
	}
	eng, errs := rules.NewEngine(policies, rules.Config{Now: func() time.Time { return testNow }})
	if len(errs) > 0 {
		t.Fatalf("compile policies: %v", errs)
	}
	ptrs := make([]*asset.Asset, len(inv))
	ids := make(map[string]*asset.Asset, len(inv))
	for i := range inv {
		ptrs[i] = &inv[i]
		ids[inv[i].ID] = &inv[i]
	}
	byPolicy := map[string]*rules.Policy{}
	for _, p := range policies {
		byPolicy[p.ID] = p
	}
	vs := rules.Reconcile(rules.ReconcileInput{
		Results: eng.EvaluateAll(ptrs, rules.NewIndex(ptrs), 2), Policies: byPolicy,
		Asset: func(id string) *asset.Asset { return ids[id] }, Now: testNow, By: "scan",
	})
	if len(vs) < 100 {
		t.Fatalf("the evaluation found only %d violations in the demo inventory", len(vs))
	}
	if err := st.PutViolations(vs); err != nil {
		t.Fatalf("put violations: %v", err)
	}
	s := rules.ComputeScores(rules.ScoreInput{Group: "all", Policies: policies, Evaluated: eng.EvaluatedCounts(ptrs), Violations: vs})
	today := rules.TrendPointFrom(s, testNow, len(inv))
	if err := st.PutTrendPoint(today); err != nil {
		t.Fatalf("put trend point: %v", err)
	}
	return st, today
}

func TestHistory(t *testing.T) {
	st, today := evaluatedStore(t)
	if err := History(context.Background(), st, testNow, 1); err != nil {
		t.Fatalf("History: %v", err)
	}
	t.Run("scans", func(t *testing.T) { checkScans(t, st) })
	t.Run("trend", func(t *testing.T) { checkTrend(t, st, today) })
	t.Run("violations", func(t *testing.T) { checkViolations(t, st) })
	t.Run("exceptions", func(t *testing.T) { checkExceptions(t, st) })
	t.Run("fixes", func(t *testing.T) { checkFixes(t, st) })
}

func checkScans(t *testing.T, st *db.Store) {
	scans, err := st.Scans(0)
	if err != nil {
		t.Fatal(err)
	}
	if len(scans) != HistoryDays {
		t.Fatalf("%d scans, want one a day for %d days", len(scans), HistoryDays)
	}
	days := map[string]bool{}
	partial := 0
	for _, sc := range scans {
		days[sc.Started.Format("2006-01-02")] = true
		if !sc.Started.Before(testNow) || sc.Finished.Before(sc.Started) {
			t.Errorf("scan %s runs %v..%v", sc.ID, sc.Started, sc.Finished)
		}
		complete, failed := sc.Counts()
		switch sc.Status {
		case asset.ScanComplete:
			if failed != 0 {
				t.Errorf("complete scan %s has %d failed units", sc.ID, failed)
			}
		case asset.ScanPartial:
			partial++
			if failed != 1 || complete != len(sc.Units)-1 {
				t.Errorf("partial scan %s: %d complete, %d failed of %d", sc.ID, complete, failed, len(sc.Units))
			}
			for _, u := range sc.Units {
				if u.Status == asset.UnitFailed && (!strings.Contains(u.Error, "operation error") || !strings.HasPrefix(u.Error, u.Region+" "+u.Type+": ")) {
					t.Errorf("failed unit %s has error %q", u.UnitKey, u.Error)
				}
			}
		default:
			t.Errorf("scan %s has status %s", sc.ID, sc.Status)
		}
	}
	if len(days) != HistoryDays {
		t.Errorf("scans fall on %d distinct days, want %d", len(days), HistoryDays)
	}
	if partial == 0 || partial > HistoryDays/5 {
		t.Errorf("%d partial scans; want a few", partial)
	}
}

func checkTrend(t *testing.T, st *db.Store, today rules.TrendPoint) {
	since := testNow.AddDate(0, 0, -HistoryDays-5)
	pts, err := st.TrendPoints("all", rules.DefaultDomain, since)
	if err != nil {
		t.Fatal(err)
	}
	if len(pts) != HistoryDays {
		t.Fatalf("%d points for `all`, want %d", len(pts), HistoryDays)
	}
	last := pts[len(pts)-1]
	if last.Day != today.Day || last.Overall != today.Overall || last.Open != today.Open {
		t.Errorf("history changed today's point: %+v, want %+v", last, today)
	}
	lowest, highest := 100, 0
	for i, p := range pts {
		want := testNow.AddDate(0, 0, i-HistoryDays+1).Format("2006-01-02")
		if p.Day != want {
			t.Fatalf("point %d is for %s, want %s", i, p.Day, want)
		}
		if i > 0 && abs(p.Overall-pts[i-1].Overall) > 6 {
			t.Errorf("overall jumps from %d to %d on %s", pts[i-1].Overall, p.Overall, p.Day)
		}
		if len(p.Categories) != len(today.Categories) || len(p.Policies) != len(today.Policies) {
			t.Errorf("%s: %d categories and %d policies, today has %d and %d", p.Day, len(p.Categories), len(p.Policies), len(today.Categories), len(today.Policies))
		}
		lowest, highest = min(lowest, p.Overall), max(highest, p.Overall)
	}
	if highest-lowest < 4 || pts[0].Overall >= today.Overall {
		t.Errorf("trend barely moves or does not improve: %d..%d, first %d, today %d", lowest, highest, pts[0].Overall, today.Overall)
	}
	for _, g := range []string{"account:111111111111", "account:333333333333", "region:ap-southeast-2", "region:global"} {
		gp, err := st.TrendPoints(g, rules.DefaultDomain, since)
		if err != nil || len(gp) != HistoryDays {
			t.Errorf("group %s has %d points (%v), want %d", g, len(gp), err, HistoryDays)
		}
	}
}

func abs(x int) int { return max(x, -x) }

func checkViolations(t *testing.T, st *db.Store) {
	vs, err := st.Violations(db.ViolationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	var oldest, newest time.Time = testNow, time.Time{}
	for _, v := range vs {
		if len(v.History) == 0 {
			t.Fatalf("violation %s has no history", v.ID)
		}
		for i, tr := range v.History {
			if tr.At.After(testNow) || (i > 0 && tr.At.Before(v.History[i-1].At)) || (i > 0 && tr.From != v.History[i-1].To) {
				t.Errorf("violation %s: history out of order at %d: %+v", v.ID, i, v.History)
				break
			}
		}
		if lastTo := v.History[len(v.History)-1].To; lastTo != v.Status {
			t.Errorf("violation %s is %s but its history ends in %s", v.ID, v.Status, lastTo)
		}
		switch v.Status {
		case rules.StatusClosed:
			r := v.Reason
			if strings.HasPrefix(r, "fixed by vigil ") {
				rec, err := st.FixRecord(strings.TrimPrefix(r, "fixed by vigil "))
				if err != nil || rec.ViolationID != v.ID || rec.Status != fix.RecordApplied || len(rec.Calls) == 0 {
					t.Errorf("violation %s closed %q without a matching applied fix record (%v)", v.ID, r, err)
				}
				r = "fixed by vigil"
			}
			reasons[r]++
			if v.ClosedAt == nil || v.ClosedAt.Before(v.OpenedAt) {
				t.Errorf("closed violation %s: opened %v, closed %v", v.ID, v.OpenedAt, v.ClosedAt)
			}
		default:
			oldest, newest = minTime(oldest, v.OpenedAt), maxTime(newest, v.OpenedAt)
		}
	}
	for _, r := range []string{rules.ReasonCompliant, rules.ReasonResourceDeleted, "fixed by vigil"} {
		if reasons[r] == 0 {
			t.Errorf("no violation closed with reason %q (got %v)", r, reasons)
		}
	}
	if testNow.Sub(oldest) < 60*24*time.Hour || testNow.Sub(newest) > 7*24*time.Hour {
		t.Errorf("open violations opened between %v and %v; want a spread over the past 90 days", oldest, newest)
	}
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func checkExceptions(t *testing.T, st *db.Store) {
	es, err := st.Exceptions()
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	soon, expired := 0, 0
	byID := map[string]rules.Exception{}
	for _, e := range es {
		byID[e.ID] = e
		kinds[e.Kind]++
		if e.Reason == "" || !strings.HasSuffix(e.Author, "@example.com") || !e.Expires.After(e.Created) {
			t.Errorf("exception %s: reason %q author %q created %v expires %v", e.ID, e.Reason, e.Author, e.Created, e.Expires)
		}
		switch {
		case !e.Active(testNow):
			expired++
		case e.Expires.Before(testNow.AddDate(0, 0, 7)):
			soon++
		}
	}
	if kinds[rules.ExceptionIndividual] < 3 || kinds[rules.ExceptionSticky] < 2 || soon < 2 || expired < 1 {
		t.Errorf("exceptions: %v kinds, %d expiring within a week, %d expired", kinds, soon, expired)
	}
	exempt, err := st.Violations(db.ViolationFilter{Status: []string{rules.StatusExempt}})
	if err != nil {
		t.Fatal(err)
	}
	if len(exempt) < 3 {
		t.Errorf("only %d exempt violations", len(exempt))
	}
	for _, v := range exempt {
		e, ok := byID[v.ExceptionID]
		if !ok || !e.Active(testNow) {
			t.Errorf("exempt violation %s names exception %q, which is missing or inactive", v.ID, v.ExceptionID)
		}
	}
}

func checkFixes(t *testing.T, st *db.Store) {
	recs, err := st.FixRecords(0)
	if err != nil {
		t.Fatal(err)
	}
	status := map[string]int{}
	for _, r := range recs {
		status[r.Status]++
		if r.At.After(testNow) || r.AssetID == "" || r.Action == "" || len(r.Calls) == 0 {
			t.Errorf("fix record %s is incomplete: %+v", r.ID, r)
		}
		if r.Status == fix.RecordFailed && r.Error == "" {
			t.Errorf("failed fix %s has no error", r.ID)
		}
		if r.Status == fix.RecordUndone {
			undo, err := st.FixRecord(r.UndoneBy)
			if err != nil || undo.UndoOf != r.ID {
				t.Errorf("undone fix %s: undo record %q missing or not linked (%v)", r.ID, r.UndoneBy, err)
			}
		}
	}
	for _, s := range []string{fix.RecordApplied, fix.RecordFailed, fix.RecordUndone} {
		if status[s] == 0 {
			t.Errorf("no fix record with status %s (got %v)", s, status)
		}
	}
}

func TestHistoryDeterministic(t *testing.T) {
	dump := func() string {
		st, _ := evaluatedStore(t)
		if err := History(context.Background(), st, testNow, 3); err != nil {
			t.Fatal(err)
		}
		vs, _ := st.Violations(db.ViolationFilter{})
		recs, _ := st.FixRecords(0)
		es, _ := st.Exceptions()
		b, _ := json.Marshal([]any{vs, recs, es})
		return string(b)
	}
	if dump() != dump() {
		t.Error("History with the same store contents, time and seed wrote different records")
	}
}

func TestHistoryNeedsInventory(t *testing.T) {
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := History(context.Background(), st, testNow, 1); err == nil || !strings.Contains(err.Error(), "no assets") {
		t.Errorf("History on an empty store returned %v", err)
	}
}
