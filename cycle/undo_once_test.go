package cycle

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
)

// fixedOnce applies the fix of the open-SSH violation on id and returns the
// cycle, the world and the applied record.
func fixedOnce(t *testing.T) (*Cycle, *fakeWorld, string, *fix.Record) {
	t.Helper()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	w := &fakeWorld{open: map[string]bool{}}
	id := "arn:aws:ec2:us-east-1:111111111111:security-group/sg-aaaa02"
	w.open[id] = true
	c := newTestCycle(t, &now)
	c.Config = &config.Config{}
	c.SetFixer(NewOfflineFixer(fix.NewRegistry(undoableRevoke{fakeRevoke{w}}), scanner.NewRegistry(fakeSGs{w}), []string{"111111111111"}))
	mustRun(t, c, w.source("111111111111"))
	vs, _ := c.Store.Violations(dbFilter(openSSH, id))
	if len(vs) != 1 {
		t.Fatalf("violations before the fix: %+v", vs)
	}
	ctx := context.Background()
	plan, err := c.PlanFix(ctx, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := c.ApplyFix(ctx, plan, TestActor("alice"))
	if err != nil {
		t.Fatal(err)
	}
	return c, w, id, rec
}

// An undo works once: the applied record becomes undone, and a second undo
// is refused — it must not re-open SSH after an admin closed it by hand.
func TestUndoWorksOnce(t *testing.T) {
	c, w, id, rec := fixedOnce(t)
	ctx := context.Background()
	if _, err := c.UndoFix(ctx, rec.ID, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	if !w.open[id] {
		t.Fatal("the undo did not re-open the rule")
	}
	orig, err := c.Store.FixRecord(rec.ID)
	if err != nil {
		t.Fatal(err)
	}
	if orig.Status != fix.RecordUndone || orig.UndoneBy == "" {
		t.Fatalf("applied record after undo: status %q undone_by %q, want undone", orig.Status, orig.UndoneBy)
	}
	w.open[id] = false // an admin closes it by hand
	if _, err := c.UndoFix(ctx, rec.ID, TestActor("alice")); err == nil || !strings.Contains(err.Error(), "already undone") {
		t.Fatalf("second undo: %v, want refused as already undone", err)
	}
	if w.open[id] {
		t.Fatal("the second undo re-opened SSH")
	}
	if _, err := c.CheckUndo(rec.ID); err == nil {
		t.Fatal("CheckUndo allows undoing an undone record")
	}
}

// An undo refuses, and audits the refusal, when the live resource no longer
// matches the fix's after-state.
func TestUndoRefusesOnDrift(t *testing.T) {
	c, w, id, rec := fixedOnce(t)
	w.open[id] = true // someone changed it since the fix
	_, err := c.UndoFix(context.Background(), rec.ID, TestActor("bob"))
	if !errors.Is(err, fix.ErrDrift) {
		t.Fatalf("undo after drift: %v, want ErrDrift", err)
	}
	recs, _ := c.Store.FixRecords(10)
	var refused *fix.Record
	for i := range recs {
		if recs[i].UndoOf == rec.ID && recs[i].Status == fix.RecordRefused {
			refused = &recs[i]
		}
	}
	if refused == nil || refused.By != "bob" || !strings.Contains(refused.Error, "changed") {
		t.Fatalf("no refused undo record by bob naming the drift: %+v", recs)
	}
	orig, _ := c.Store.FixRecord(rec.ID)
	if orig.Status != fix.RecordApplied {
		t.Fatalf("a refused undo changed the applied record to %q", orig.Status)
	}
}

// A declined fix or undo is audited as refused, with who and why.
func TestDeclinesAreAudited(t *testing.T) {
	c, _, _, rec := fixedOnce(t)
	if _, err := c.DeclineUndo(rec.ID, TestActor("carol"), "declined at the prompt"); err != nil {
		t.Fatal(err)
	}
	plan := &fix.Plan{Action: "ec2-revoke-public-ingress", ViolationID: "v1", AssetID: "a1"}
	if _, err := c.DeclineFix(plan, TestActor("dave"), "declined in the console"); err != nil {
		t.Fatal(err)
	}
	recs, _ := c.Store.FixRecords(10)
	seen := map[string]string{}
	for _, r := range recs {
		if r.Status == fix.RecordRefused {
			seen[r.By] = r.Error
		}
	}
	if seen["carol"] != "declined at the prompt" || seen["dave"] != "declined in the console" {
		t.Fatalf("refused records: %v", seen)
	}
}
