package cycle

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// freshStats counts a group's dashboard numbers the long way, in a session
// of its own.
func freshStats(t *testing.T, c *Cycle, group string) DashStats {
	t.Helper()
	b := NewBackend(c, nil, TestActor("check"), true)
	sc, err := b.Scores(group, rules.DefaultDomain)
	if err != nil {
		t.Fatal(err)
	}
	open, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		t.Fatal(err)
	}
	sums, err := b.Summaries(group)
	if err != nil {
		t.Fatal(err)
	}
	return StatsOf(sc, open, sums)
}

// A new session's dashboard comes from the saved numbers when nothing was
// written since they were computed, and is computed again (and right)
// after an exception, or any other write, changed the store.
func TestDashStatsCachedUntilAnyWrite(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	src := unitSource(demo.Assets(7, 2000, now))
	mustRun(t, c, src)
	want := freshStats(t, c, groups.All)
	if want.Open == 0 || want.Assets != 2000 {
		t.Fatalf("fixture: %d open violations, %d assets", want.Open, want.Assets)
	}

	// dashboard reports the stats of a new session and whether it read the
	// summaries (computed) or not (from the cache).
	dashboard := func(group string) (DashStats, bool) {
		t.Helper()
		b := NewBackend(c, nil, TestActor("tester"), false)
		d, err := b.DashStats(group, rules.DefaultDomain)
		if err != nil {
			t.Fatal(err)
		}
		return d, b.sums != nil
	}
	got, computed := dashboard(groups.All)
	if !computed || !reflect.DeepEqual(got, want) {
		t.Fatalf("first session: computed=%v, stats %+v, want %+v", computed, got, want)
	}
	got, computed = dashboard(groups.All)
	if computed || !reflect.DeepEqual(got, want) {
		t.Fatalf("second session, nothing written: computed=%v (want the cache), stats equal=%v", computed, reflect.DeepEqual(got, want))
	}
	if _, computed = dashboard("region:us-east-1"); !computed {
		t.Fatal("another group was answered from the cache of group all")
	}

	// An exception exempts one open violation: the next session must see it.
	open, err := c.Store.Violations(db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil || len(open) == 0 {
		t.Fatalf("open violations: %d, %v", len(open), err)
	}
	if _, err := AddException(context.Background(), c, rules.Exception{ViolationID: open[0].ID,
		Reason: "accepted", Expires: now.AddDate(0, 1, 0)}, TestActor("tester")); err != nil {
		t.Fatal(err)
	}
	got, computed = dashboard(groups.All)
	if !computed {
		t.Fatal("after an exception the dashboard came from the stale cache")
	}
	if got.Open != want.Open-1 || !reflect.DeepEqual(got, freshStats(t, c, groups.All)) {
		t.Fatalf("after an exception: %d open, want %d", got.Open, want.Open-1)
	}
	if _, computed = dashboard(groups.All); computed {
		t.Fatal("the recomputed numbers were not saved")
	}

	// Any write at all invalidates, e.g. a stored group.
	if err := c.Store.PutGroup(groups.Group{Name: "web", Types: []string{asset.TypeEC2Instance}}); err != nil {
		t.Fatal(err)
	}
	if _, computed = dashboard(groups.All); !computed {
		t.Fatal("after a group was stored the dashboard came from the cache")
	}
}
