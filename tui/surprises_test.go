package tui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/vigil-sec/vigil/rules"
)

// Two esc that arrive in one read (bubbletea reports them as alt+esc) both
// go back a page.
func TestTwoEscInOneReadGoBackTwice(t *testing.T) {
	t.Parallel()
	d := newDriver(t, demoBackend(), Options{})
	d.key(":")
	d.typeText("policies")
	d.key("enter")
	d.key("enter") // the policy under the cursor
	if n := len(d.m.stack); n != 3 {
		t.Fatalf("stack %v, want dashboard, policies, a policy", d.titles())
	}
	d.send(tea.KeyMsg{Type: tea.KeyEsc, Alt: true})
	if n := len(d.m.stack); n != 1 {
		t.Fatalf("after two esc in one read the stack is %v, want the dashboard alone", d.titles())
	}
}

// A `:` jump replaces the pages above the dashboard instead of stacking.
func TestPaletteJumpReplacesTheStackAboveTheDashboard(t *testing.T) {
	t.Parallel()
	d := newDriver(t, demoBackend(), Options{})
	for _, name := range []string{"assets", "violations", "exceptions"} {
		d.key(":")
		d.typeText(name)
		d.key("enter")
	}
	if got := d.titles(); len(got) != 2 || got[1] != "Exceptions" {
		t.Fatalf("after three jumps the stack is %v, want the dashboard and Exceptions", got)
	}
	d.key(":")
	d.typeText("dashboard")
	d.key("enter")
	if got := d.titles(); len(got) != 1 || !slices.Equal(got, d.titles()[:1]) {
		t.Fatalf(":dashboard left %v, want the dashboard alone", got)
	}
}

// The "Open violations" tile and the list it opens count the same
// violations: an exempt one is in neither.
func TestOpenViolationsTileMatchesItsList(t *testing.T) {
	t.Parallel()
	b := demoBackend()
	open := 0
	var first string
	for id, v := range b.violations {
		if v.Status == rules.StatusOpen {
			open++
			if first == "" || id < first {
				first = id
			}
		}
	}
	if _, err := b.AddException(rules.Exception{ViolationID: first, Reason: "accepted", Expires: testNow.Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	open--
	d := newDriver(t, b, Options{})
	dash := d.m.top().(*dashboard)
	dash.focus = tileViolations
	d.key("enter")
	vp, ok := d.m.top().(*violationsPage)
	if !ok {
		t.Fatalf("the tile opened %T", d.m.top())
	}
	if got := vp.tbl.Len(); got != open {
		t.Fatalf("the list the Open violations tile opens has %d rows, want the %d open ones", got, open)
	}
}

// Deleting the group the console is scoped to moves it to all and says so.
func TestDeletingTheCurrentGroupMovesToAll(t *testing.T) {
	t.Parallel()
	d := newDriver(t, demoBackend(), Options{})
	d.send(switchGroupMsg{"buckets"})
	if d.m.c.group != "buckets" {
		t.Fatalf("scoped to %q", d.m.c.group)
	}
	d.key(":")
	d.typeText("groups")
	d.key("enter")
	gp := d.m.top().(*groupsPage)
	for range len(gp.items) {
		if i := gp.tbl.Selected(); i >= 0 && gp.items[i].Name == "buckets" {
			break
		}
		d.key("down")
	}
	if i := gp.tbl.Selected(); i < 0 || gp.items[i].Name != "buckets" {
		t.Fatal("no buckets row to select")
	}
	d.key("D")
	d.key("y")
	if d.m.c.group != "all" {
		t.Fatalf("after deleting the current group the console is on %q, want all", d.m.c.group)
	}
	d.mustSee("group buckets deleted; now showing all")
}

// An empty store says there is no scan yet instead of "overall 100%".
func TestEmptyStoreSaysNoScanYet(t *testing.T) {
	t.Parallel()
	b := newFakeBackend(nil)
	b.scans = nil
	d := newDriver(t, b, Options{})
	d.mustSee("no scan yet")
	if v := d.view(); strings.Contains(v, "overall 100%") {
		t.Fatalf("an empty store claims full compliance:\n%s", v)
	}
}
