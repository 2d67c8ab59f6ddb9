package cycle

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

// fakeWorld is a tiny in-memory "AWS": security groups whose SSH rule a
// fake fix action removes and a fake collector reads back.
type fakeWorld struct {
	open    map[string]bool // asset ID -> world-open SSH
	applied []string
}

type fakeRevoke struct{ w *fakeWorld }

func (f fakeRevoke) ID() string       { return "ec2-revoke-public-ingress" }
func (f fakeRevoke) Describe() string { return "test" }
func (f fakeRevoke) Plan(_ context.Context, t fix.Target) (*fix.Plan, error) {
	return &fix.Plan{Summary: "revoke", Before: map[string]any{"open": f.w.open[t.Asset.ID]}, Noop: !f.w.open[t.Asset.ID]}, nil
}
func (f fakeRevoke) Apply(_ context.Context, t fix.Target, p *fix.Plan) (map[string]any, error) {
	f.w.open[t.Asset.ID] = false
	f.w.applied = append(f.w.applied, t.Asset.ID)
	return map[string]any{"open": false}, nil
}
func (f fakeRevoke) Undo(context.Context, fix.Target, *fix.Record) error { return fix.ErrNotUndoable }

type fakeSGs struct{ w *fakeWorld }

func (f fakeSGs) Type() string { return asset.TypeSecurityGroup }
func (f fakeSGs) Global() bool { return false }
func (f fakeSGs) Collect(_ context.Context, s *scanner.Session) ([]asset.Asset, error) {
	var out []asset.Asset
	for id, open := range f.w.open {
		a := sg(s.Region, id[len(id)-9:], open, nil)
		a.Account = s.Account
		out = append(out, a)
	}
	return out, nil
}

func (f *fakeWorld) source(accounts ...string) *staticSource {
	src := &staticSource{}
	for _, a := range accounts {
		src.units = append(src.units, asset.UnitKey{Account: a, Region: "us-east-1", Type: asset.TypeSecurityGroup})
	}
	for id, open := range f.open {
		x := sg("us-east-1", id[len(id)-9:], open, nil)
		x.Account = id[len("arn:aws:ec2:us-east-1:"):][:12]
		x.ID = id
		src.assets = append(src.assets, x)
	}
	return src
}

// Unattended fixes: only autofix policies, only allow-listed accounts,
// never exempt violations, at most the cap per cycle; each audited as
// "autofix" and its violation closed "fixed by vigil <record>".
func TestAutofixRespectsAllowListExemptionsAndCap(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	w := &fakeWorld{open: map[string]bool{}}
	id := func(account, n string) string {
		return "arn:aws:ec2:us-east-1:" + account + ":security-group/sg-" + n
	}
	for _, n := range []string{"aaaa01", "aaaa02", "aaaa03", "aaaa04"} {
		w.open[id("111111111111", n)] = true
	}
	w.open[id("999999999999", "bbbb01")] = true // not on the allow-list

	c := newTestCycle(t, &now)
	c.Config = &config.Config{Autofix: config.Autofix{Accounts: []string{"111111111111"}, MaxPerCycle: 2}}
	c.deps.Fixer = &Fixer{Registry: fix.NewRegistry(fakeRevoke{w}), Collector: scanner.NewRegistry(fakeSGs{w}),
		targets: map[string]scanner.Target{"111111111111": {Account: "111111111111"}, "999999999999": {Account: "999999999999"}}}
	autofix := true
	if err := c.Store.PutPolicyState(rules.PolicyState{PolicyID: openSSH, Autofix: &autofix, By: "alice", At: now}); err != nil {
		t.Fatal(err)
	}
	src := w.source("111111111111", "999999999999")
	mustRun(t, c, src) // evaluate only: autofix not asked for

	if len(w.applied) != 0 {
		t.Fatalf("fixes applied without --autofix: %v", w.applied)
	}
	// Exempt one violation of the allowed account.
	exemptID := id("111111111111", "aaaa01")
	vs, _ := c.Store.Violations(dbFilter(openSSH, exemptID))
	if _, err := AddException(context.Background(), c, rules.Exception{ViolationID: vs[0].ID, Reason: "r", Expires: now.AddDate(0, 1, 0)}, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	res, err := c.Run(context.Background(), src, RunOptions{Source: "test", Autofix: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Fixed != 2 || len(w.applied) != 2 {
		t.Fatalf("fixed %d (applied %v), want the cap of 2", res.Fixed, w.applied)
	}
	for _, a := range w.applied {
		if a == exemptID || a == id("999999999999", "bbbb01") {
			t.Errorf("autofix touched %s (exempt or not allow-listed)", a)
		}
	}
	recs, _ := c.Store.FixRecords(0)
	if len(recs) != 2 {
		t.Fatalf("%d fix records, want 2", len(recs))
	}
	for _, r := range recs {
		if r.By != AutofixBy || r.Status != fix.RecordApplied {
			t.Errorf("record %s by %q status %q, want by autofix, applied", r.ID, r.By, r.Status)
		}
		if st, why := violation(t, c, openSSH, r.AssetID); st != rules.StatusClosed || why != "fixed by vigil "+r.ID {
			t.Errorf("fixed violation on %s: %q %q", r.AssetID, st, why)
		}
	}
	if st, _ := violation(t, c, openSSH, exemptID); st != rules.StatusExempt {
		t.Errorf("exempt violation is %q after autofix", st)
	}
}
