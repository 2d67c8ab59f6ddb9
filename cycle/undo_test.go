package cycle

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

// undoableRevoke is fakeRevoke with an undo that opens the rule again.
type undoableRevoke struct{ fakeRevoke }

func (u undoableRevoke) Plan(ctx context.Context, t fix.Target) (*fix.Plan, error) {
	p, err := u.fakeRevoke.Plan(ctx, t)
	if p != nil {
		p.Undoable = true
	}
	return p, err
}

func (u undoableRevoke) Undo(_ context.Context, t fix.Target, _ *fix.Record) error {
	u.w.open[t.Asset.ID] = true
	return nil
}

// A fix closes the violation; undoing it re-opens it at once; and when the
// resource is broken again by hand after a fix, the next scan re-opens it
// (the evaluation mark of the fixed document must not hide the old one).
func TestUndoAndRegressionReopen(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	w := &fakeWorld{open: map[string]bool{}}
	id := "arn:aws:ec2:us-east-1:111111111111:security-group/sg-aaaa01"
	w.open[id] = true
	c := newTestCycle(t, &now)
	c.Config = &config.Config{}
	c.SetFixer(NewOfflineFixer(fix.NewRegistry(undoableRevoke{fakeRevoke{w}}), scanner.NewRegistry(fakeSGs{w}), []string{"111111111111"}))
	src := w.source("111111111111")
	mustRun(t, c, src)
	ctx := context.Background()
	vs, _ := c.Store.Violations(dbFilter(openSSH, id))
	if len(vs) != 1 || vs[0].Status != rules.StatusOpen {
		t.Fatalf("violation before the fix: %+v", vs)
	}
	plan, err := c.PlanFix(ctx, vs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := c.ApplyFix(ctx, plan, TestActor("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := violation(t, c, openSSH, id); st != rules.StatusClosed {
		t.Fatalf("after the fix: %q, want closed", st)
	}
	if _, err := c.UndoFix(ctx, rec.ID, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	if st, _ := violation(t, c, openSSH, id); st != rules.StatusOpen {
		t.Errorf("after the undo: %q, want open at once", st)
	}
	mustRun(t, c, w.source("111111111111"))
	if st, _ := violation(t, c, openSSH, id); st != rules.StatusOpen {
		t.Errorf("after the undo and a rescan: %q, want open", st)
	}

	// Fixed again, then someone opens the rule by hand: the scan must see it.
	plan, _ = c.PlanFix(ctx, vs[0].ID)
	if _, err := c.ApplyFix(ctx, plan, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	w.open[id] = true
	mustRun(t, c, w.source("111111111111"))
	if st, _ := violation(t, c, openSSH, id); st != rules.StatusOpen {
		t.Errorf("rule re-opened by hand after a fix, rescanned: %q, want open", st)
	}
}
