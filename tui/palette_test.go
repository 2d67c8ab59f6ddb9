package tui

import "testing"

func TestPaletteTabStopsAtTheSharedPrefix(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	p := d.m.overlay.(*palette)
	d.typeText("gr")
	d.key("tab")
	if got := p.in.Value(); got != "group" {
		t.Fatalf(":gr + tab = %q, want the shared prefix \"group\" (group and groups both fit)", got)
	}
	d.typeText(" b")
	d.key("tab")
	if got := p.in.Value(); got != "group buckets" {
		t.Fatalf(":group b + tab = %q, want \"group buckets\"", got)
	}
}

func TestPaletteGroupNeverSwitchesToAMissingGroup(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	d.typeText("group nosuch")
	d.key("enter")
	if d.m.c.group != "all" {
		t.Fatalf(":group nosuch switched the console to %q", d.m.c.group)
	}
	d.mustSee("no group named nosuch")
	p, ok := d.m.overlay.(*palette)
	if !ok {
		t.Fatalf("the palette closed on a typo (overlay %T); it should stay open to fix it", d.m.overlay)
	}
	p.in.SetValue("")
	d.typeText("group pr")
	d.key("enter")
	if d.m.c.group != "prod" {
		t.Fatalf(":group pr + enter switched to %q, want the completion prod", d.m.c.group)
	}
}

func TestPaletteKeepsTheHighlightedCandidateInView(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	for range 9 {
		d.key("down")
	}
	p := d.m.overlay.(*palette)
	want := p.completions()[p.sel]
	d.mustSee("> " + want)
}
