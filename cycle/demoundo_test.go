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
