package cycle

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/tui/omni"
)

// Sessions of unconfined users read one copy of the summaries and one
// search index per group (the server holds them once, not once per
// session); a write of one session (a group saved) moves the change count
// every session polls, and the next read rebuilds the shared index once.
func TestSessionsShareSummariesAndSearchIndex(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	mustRun(t, c, unitSource(demo.Assets(7, 300, now)))
	a, b := NewBackend(c, nil, TestActor("ada"), false), NewBackend(c, nil, TestActor("otto"), false)
	sa, err := a.Summaries(groups.All)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := b.Summaries(groups.All)
	if err != nil {
		t.Fatal(err)
	}
	if len(sa) == 0 || len(sa) != len(sb) || &sa[0] != &sb[0] {
		t.Fatalf("two sessions hold %d and %d summaries in separate copies; want one shared copy", len(sa), len(sb))
	}
	builds := 0
	build := func(be *Backend) func() (*omni.Index, error) {
		return func() (*omni.Index, error) {
			builds++
			sums, err := be.Summaries(groups.All)
			return omni.ConsoleIndex(sums, be.Policies(), nil), err
		}
	}
	ia, err := a.SearchIndex(groups.All, build(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := b.SearchIndex(groups.All, build(b))
	if err != nil {
		t.Fatal(err)
	}
	if ia != ib || builds != 1 {
		t.Fatalf("two sessions built %d indexes (same: %v); want one shared", builds, ia == ib)
	}

	gen := b.Generation()
	if err := a.SaveGroup(groups.Group{Name: "web", Source: "store", Types: []string{"aws.ec2.instance"}}); err != nil {
		t.Fatal(err)
	}
	if b.Generation() == gen {
		t.Fatal("a group saved by one session left the change count other sessions poll unchanged")
	}
	if _, err := b.SearchIndex(groups.All, build(b)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.SearchIndex(groups.All, build(a)); err != nil {
		t.Fatal(err)
	}
	if builds != 2 {
		t.Errorf("after the change %d builds in all, want 2 (one rebuild shared by both)", builds)
	}
}
