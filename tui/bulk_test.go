package tui

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/rules"
)

// violationsWith opens the violations list of the fixture narrowed by a filter.
func violationsWith(t *testing.T, b *fakeBackend, filter string) (*driver, *violationsPage) {
	t.Helper()
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	p := d.m.top().(*violationsPage)
	p.tbl.SetFilter(defaultViolationFilter + " " + filter)
	return d, p
}

func TestSpaceTogglesAndCtrlASelectsVisible(t *testing.T) {
	t.Parallel()
	d, p := violationsWith(t, fixtureBackend(), "policy:ec2-imdsv1")
	d.key("space")
	if len(p.tbl.marks) != 1 || p.tbl.cursor != 1 {
		t.Fatalf("space: %d marked, cursor %d; want 1 marked and the cursor moved down", len(p.tbl.marks), p.tbl.cursor)
	}
	d.mustSee("1 selected")
	d.key("up", "space")
	if len(p.tbl.marks) != 0 {
		t.Fatalf("space again unmarks: %d marked", len(p.tbl.marks))
	}
	d.key("ctrl+a")
	if got := len(p.tbl.Marked()); got != 4 {
		t.Fatalf("ctrl+a selects the 4 visible violations, got %d", got)
	}
	d.key("esc")
	if len(p.tbl.marks) != 0 || len(d.titles()) != 2 {
		t.Fatalf("esc clears the selection first and stays: %d marked, pages %v", len(p.tbl.marks), d.titles())
	}
}

func TestBulkFixPreviewDefaultsToNoThenApplies(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d, _ := violationsWith(t, b, "policy:ec2-imdsv1")
	d.key("ctrl+a", "f")
	d.mustSee("fixes 4 violations: 0 critical, 0 high")
	d.key("enter") // No is the default
	if n := len(b.appliedFixes()); n != 0 {
		t.Fatalf("enter on the default No applied %d fixes", n)
	}
	d.key("f", "y")
	if n := len(b.appliedFixes()); n != 4 {
		t.Fatalf("y applied %d fixes, want 4", n)
	}
	d.mustSee("4 fixed, 0 failed")
	p := d.m.top().(*violationsPage)
	if len(p.tbl.marks) != 0 {
		t.Fatal("the selection stays after the bulk fix")
	}
}

func TestBulkFixIsCappedAndCriticalNeedsTheCountTyped(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d, p := violationsWith(t, b, "")
	d.key("ctrl+a")
	if len(p.tbl.Marked()) != 16 {
		t.Fatalf("fixture has 16 open violations, %d selected", len(p.tbl.Marked()))
	}
	d.key("f")
	d.mustSee("fixes 10 violations: 2 critical, 4 high")
	d.mustSee("6 more selected: at most 10 fixes run at once")
	d.key("y", "enter") // y is typed into the confirmation, not an answer
	if n := len(b.appliedFixes()); n != 0 {
		t.Fatalf("a mistyped confirmation applied %d fixes", n)
	}
	d.mustSee("type 10 (the number of violations) to confirm")
	d.key("backspace")
	d.typeText("10")
	d.key("enter")
	if n := len(b.appliedFixes()); n != 10 {
		t.Fatalf("typed confirmation applied %d fixes, want 10 (the cap)", n)
	}
}

func TestBulkExceptionOverTenNeedsTheCountTyped(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d, p := violationsWith(t, b, "!severity:critical !severity:high")
	d.key("ctrl+a")
	if len(p.tbl.Marked()) != 10 {
		t.Fatalf("want the 10 medium and low violations, got %d", len(p.tbl.Marked()))
	}
	d.key("down", "space") // unmark one: 9
	p.tbl.SetFilter(defaultViolationFilter)
	// add two high ones: 11 in all
	for pos := 0; pos < p.tbl.Len(); pos++ {
		if v := p.items[p.tbl.index(pos)]; v.Severity == rules.SeverityHigh && len(p.tbl.marks) < 11 {
			p.tbl.marks[v.ID] = true
		}
	}
	d.key("e")
	d.mustSee("exempts 11 violations: 0 critical, 2 high")
	d.typeText("accepted for the migration")
	d.key("enter")
	if len(b.exceptions) != 0 {
		t.Fatal("enter saved 11 exceptions without the typed count")
	}
	d.mustSee("type 11 to confirm")
	d.typeText("11")
	d.key("enter")
	if len(b.exceptions) != 11 {
		t.Fatalf("%d exceptions added, want 11", len(b.exceptions))
	}
	for _, e := range b.exceptions {
		if e.Kind != rules.ExceptionIndividual || !strings.Contains(e.Reason, "migration") {
			t.Fatalf("bulk exception %+v: want individual with the reason", e)
		}
	}
}
