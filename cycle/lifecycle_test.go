package cycle

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

const openSSH = "ec2-sg-open-ssh"

// The lifecycle through the whole cycle: open, exempt by an exception and
// back when it is revoked, closed when the policy is disabled and re-opened
// (same ID) when enabled, and closed "resource deleted" when a completed
// unit no longer lists the resource.
func TestLifecycleThroughTheCycle(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	ctx := context.Background()
	bad, good := sg("us-east-1", "sg-bad", true, nil), sg("us-east-1", "sg-good", false, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{bad, good}}
	res := mustRun(t, c, src)
	if res.Scan.Status != asset.ScanComplete || res.Opened == 0 {
		t.Fatalf("first run: %s, %d opened", res.Scan.Status, res.Opened)
	}
	if st, _ := violation(t, c, openSSH, bad.ID); st != rules.StatusOpen {
		t.Fatalf("open SSH group: %q, want open", st)
	}
	if st, _ := violation(t, c, openSSH, good.ID); st != "" {
		t.Fatalf("compliant twin has a violation: %q", st)
	}
	vs, _ := c.Store.Violations(dbFilter(openSSH, bad.ID))
	vid := vs[0].ID

	e, err := AddException(ctx, c, rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: vid,
		Reason: "bastion, reviewed", Expires: now.AddDate(0, 0, 7)}, TestActor("alice"))
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := violation(t, c, openSSH, bad.ID); st != rules.StatusExempt {
		t.Errorf("after an exception: %q, want exempt", st)
	}
	if err := RevokeException(ctx, c, e.ID, TestActor("bob")); err != nil {
		t.Fatal(err)
	}
	if st, _ := violation(t, c, openSSH, bad.ID); st != rules.StatusOpen {
		t.Errorf("after revoking: %q, want open", st)
	}

	if err := SetPolicyState(ctx, c, openSSH, TestActor("alice"), "policy.disable", func(s *rules.PolicyState) { s.Disabled = true }); err != nil {
		t.Fatal(err)
	}
	if st, why := violation(t, c, openSSH, bad.ID); st != rules.StatusClosed || why != "policy disabled" {
		t.Errorf("after disabling: %q %q, want closed \"policy disabled\"", st, why)
	}
	if err := SetPolicyState(ctx, c, openSSH, TestActor("alice"), "policy.enable", func(s *rules.PolicyState) { s.Disabled = false }); err != nil {
		t.Fatal(err)
	}
	mustRun(t, c, src)
	v, err := c.Store.Violation(vid)
	if err != nil || v.Status != rules.StatusOpen {
		t.Fatalf("after enabling and rescanning: %+v %v, want the same ID open", v, err)
	}
	if len(v.History) < 5 {
		t.Errorf("history has %d transitions, want every change recorded: %+v", len(v.History), v.History)
	}

	src.assets = []asset.Asset{good}
	mustRun(t, c, src)
	if st, why := violation(t, c, openSSH, bad.ID); st != rules.StatusClosed || why != "resource deleted" {
		t.Errorf("after the group disappeared: %q %q, want closed \"resource deleted\"", st, why)
	}
	audit, _ := c.Store.Audit(0)
	if len(audit) < 4 {
		t.Errorf("audit has %d events, want the exception, revoke, disable, enable", len(audit))
	}
}

// A failed unit closes and deletes nothing; a sticky exception covers a
// resource created after it; expiry re-opens at the next evaluation.
func TestPartialUnitsStickyExceptionsAndExpiry(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	ctx := context.Background()
	east, west := sg("us-east-1", "sg-e", true, nil), sg("eu-west-1", "sg-w", true, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1"), sgUnit("eu-west-1")}, assets: []asset.Asset{east, west}}
	mustRun(t, c, src)

	// eu-west-1 fails and its group is gone from the listing: nothing may change there.
	src.assets = []asset.Asset{east}
	src.fail = map[asset.UnitKey]bool{sgUnit("eu-west-1"): true}
	res := mustRun(t, c, src)
	if res.Scan.Status != asset.ScanPartial {
		t.Errorf("scan with a failed unit: %s, want partial", res.Scan.Status)
	}
	if _, err := c.Store.Asset(west.ID); err != nil {
		t.Errorf("the failed unit's asset was deleted: %v", err)
	}
	if st, _ := violation(t, c, openSSH, west.ID); st != rules.StatusOpen {
		t.Errorf("the failed unit's violation is %q, want still open", st)
	}

	// A sticky exception for team=edge covers a group created later.
	crit := groups.Group{Name: "edge", Types: []string{asset.TypeSecurityGroup}, Match: map[string][]string{"tags.team": {"edge"}}}
	if _, err := AddException(ctx, c, rules.Exception{Kind: rules.ExceptionSticky, Criteria: &crit, PolicyIDs: []string{openSSH},
		Reason: "edge proxies", Expires: now.AddDate(0, 0, 3)}, TestActor("alice")); err != nil {
		t.Fatal(err)
	}
	edge := sg("us-east-1", "sg-edge", true, map[string]string{"team": "edge", "Application": "a", "Environment": "p", "Owner": "o"})
	src.fail = nil
	src.assets = []asset.Asset{east, west, edge}
	mustRun(t, c, src)
	if st, _ := violation(t, c, openSSH, edge.ID); st != rules.StatusExempt {
		t.Errorf("new group under a sticky exception: %q, want exempt", st)
	}
	if st, _ := violation(t, c, openSSH, east.ID); st != rules.StatusOpen {
		t.Errorf("group outside the sticky criteria: %q, want open", st)
	}

	now = now.AddDate(0, 0, 4) // the exception has expired
	mustRun(t, c, src)
	if st, _ := violation(t, c, openSSH, edge.ID); st != rules.StatusOpen {
		t.Errorf("after the sticky exception expired: %q, want open", st)
	}
	pts, err := c.Store.TrendPoints(groups.All, rules.DefaultDomain, now.AddDate(0, 0, -10))
	if err != nil || len(pts) != 2 {
		t.Errorf("trend points of all: %d (%v), want one per day evaluated (2)", len(pts), err)
	}
}

// Today's trend point of every built-in group equals the score the console
// computes for that group on demand.
func TestTrendPointsMatchOnDemandScores(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1"), sgUnit("eu-west-1")}, assets: []asset.Asset{
		sg("us-east-1", "sg-1", true, nil), sg("us-east-1", "sg-2", false, nil),
		sg("eu-west-1", "sg-3", false, map[string]string{}), sg("eu-west-1", "sg-4", false, nil)}}
	mustRun(t, c, src)
	b := NewBackend(c, nil, TestActor("t"), true)
	for _, g := range []string{groups.All, "account:" + acct, "region:us-east-1", "region:eu-west-1"} {
		want, err := b.Scores(g, "")
		if err != nil {
			t.Fatal(err)
		}
		pts, err := c.Store.TrendPoints(g, rules.DefaultDomain, now.AddDate(0, 0, -1))
		if err != nil || len(pts) != 1 {
			t.Fatalf("%s: %d points (%v)", g, len(pts), err)
		}
		if pts[0].Overall != want.Overall || pts[0].Categories[rules.CategorySecurity] != want.Categories[rules.CategorySecurity] {
			t.Errorf("%s: trend point %d/%v, on-demand score %d/%v", g, pts[0].Overall, pts[0].Categories, want.Overall, want.Categories)
		}
	}
	us, _ := c.Store.TrendPoints("region:us-east-1", rules.DefaultDomain, now.AddDate(0, 0, -1))
	eu, _ := c.Store.TrendPoints("region:eu-west-1", rules.DefaultDomain, now.AddDate(0, 0, -1))
	if us[0].Categories[rules.CategorySecurity] >= eu[0].Categories[rules.CategorySecurity] {
		t.Errorf("us-east-1 has the open SSH group but scores %d security vs eu-west-1's %d",
			us[0].Categories[rules.CategorySecurity], eu[0].Categories[rules.CategorySecurity])
	}
}
