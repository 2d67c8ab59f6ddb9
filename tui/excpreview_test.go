package tui

import (
	"testing"

	"github.com/vigil-sec/vigil/rules"
)

// §2.3: a sticky exception says how many open violations it exempts (and
// how many are critical/high) before it is saved; covering a critical one
// needs the count typed, so one Enter never exempts them.
func TestStickyExceptionPreviewsAndNeedsTypedCountForCritical(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	openViolation(t, d, "s3-bucket-public-access-block")
	d.key("e")
	f := d.m.overlay.(*exceptionForm)
	d.typeText("public website")
	d.key("tab", "tab", "space")
	if f.impact == nil {
		t.Fatal("toggling sticky did not count what it covers")
	}
	// bucket-00 is critical in account 111111111111 with Environment=prod:
	// the criteria (type, account, tag) cover it alone among open ones.
	want := *f.impact
	if want.Violations < 1 || want.Critical < 1 {
		t.Fatalf("impact %+v: the violation itself is critical", want)
	}
	d.mustSee(impactLine(d.m.c.st, "exempts now", want))
	d.key("enter")
	if len(b.exceptions) != 0 {
		t.Fatal("one enter saved a sticky exception over a critical violation")
	}
	if !f.confirming {
		t.Fatal("enter did not ask for the typed count")
	}
	d.typeText("99")
	d.key("enter")
	if len(b.exceptions) != 0 {
		t.Fatal("a wrong count saved the exception")
	}
	d.key("backspace", "backspace")
	d.typeText(itoa(want.Violations))
	d.key("enter")
	if len(b.exceptions) != 1 || b.exceptions[0].Kind != rules.ExceptionSticky {
		t.Fatalf("exceptions %+v; want the sticky one saved", b.exceptions)
	}
}

// A sticky exception over a few low violations saves with one enter, after
// the preview was shown.
func TestStickyExceptionOverFewLowSavesWithEnter(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	openViolation(t, d, "required-tags")
	d.key("e")
	f := d.m.overlay.(*exceptionForm)
	d.typeText("tagging later")
	d.key("tab", "tab", "space")
	if f.impact == nil || f.impact.NeedsTypedConfirm() {
		t.Fatalf("impact %+v: want a few low violations", f.impact)
	}
	d.mustSee("exempts now")
	d.key("enter")
	if len(b.exceptions) != 1 {
		t.Fatalf("%d exceptions saved, want 1", len(b.exceptions))
	}
}
