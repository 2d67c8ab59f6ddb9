package cycle

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// §2.4: in the demo, undo works on demo data: a fix applied in the
// session is undone through the same UndoFix as `vigil fix undo`, acting on
// the demo world, with its refusal rules (a second undo is refused).
func TestDemoConsoleUndoesFixes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	b, err := NewDemoBackend(ctx, t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	open, err := b.Violations("all", db.ViolationFilter{PolicyID: "kms-key-rotation", Status: []string{rules.StatusOpen}})
	if err != nil || len(open) == 0 {
		t.Fatalf("no open kms-key-rotation violation in the demo (%v)", err)
	}
	plan, err := b.PlanFix(ctx, open[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	hist, err := b.ApplyFix(ctx, plan)
	if err != nil || !hist.Undoable {
		t.Fatalf("apply: %+v, %v", hist, err)
	}
	if _, err := b.CheckUndo(hist.ID); err != nil {
		t.Fatalf("check undo of record %s (%s): %v", hist.ID, hist.Action, err)
	}
	u, err := b.UndoFix(ctx, hist.ID)
	if err != nil {
		t.Fatalf("undo record %s (%s): %v", hist.ID, hist.Action, err)
	}
	if u.Status != fix.RecordUndone || u.UndoOf != hist.ID {
		t.Fatalf("undo record %+v", u)
	}
	v, err := b.Violation(hist.ViolationID)
	if err != nil || v.Status != rules.StatusOpen {
		t.Fatalf("after the undo violation %s is %v (%v); want open again", hist.ViolationID, v, err)
	}
	if _, err := b.UndoFix(ctx, hist.ID); err == nil {
		t.Fatal("a second undo of the same record was not refused")
	}
}

// The demo's generated history holds applied fixes; one of each action on
// a present asset can be undone on the demo world (its record carries the
// world's state) and its violation is judged again: re-opened when the
// restored setting fails the policy. (A few history fixes were told of
// policies the restored setting alone does not fail, e.g. public-read
// fixed by Block Public Access on a bucket with a private ACL: those stay
// closed, as the real cycle would judge them.)
func TestDemoConsoleUndoesHistoryFixes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	b, err := NewDemoBackend(ctx, t.TempDir(), now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	recs, err := b.FixRecords(0)
	if err != nil {
		t.Fatal(err)
	}
	// One record per fix action (each undo re-evaluates the store: all 53
	// take minutes under -race).
	tried, reopened, seen := 0, 0, map[string]bool{}
	for i := range recs {
		r := &recs[i]
		if r.Status != fix.RecordApplied || !r.Undoable || r.UndoOf != "" || r.UndoneBy != "" || seen[r.Action] {
			continue
		}
		if _, err := b.Asset(r.AssetID); err != nil {
			continue // closed as deleted since: nothing to restore
		}
		tried++
		seen[r.Action] = true
		u, err := b.UndoFix(ctx, r.ID)
		if err != nil {
			t.Fatalf("undo history record %s (%s on %s): %v", r.ID, r.Action, r.AssetID, err)
		}
		if u.Status != fix.RecordUndone {
			t.Fatalf("undo record %+v", u)
		}
		if v, err := b.Violation(r.ViolationID); err == nil && v.Status == rules.StatusOpen {
			reopened++
		}
	}
	if tried == 0 || reopened == 0 {
		t.Fatalf("%d history fixes undone, %d violations re-opened; want some of each", tried, reopened)
	}
	t.Logf("%d history fixes undone, %d violations re-opened", tried, reopened)
}
