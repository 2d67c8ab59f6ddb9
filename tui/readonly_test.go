package tui

import (
	"slices"
	"strings"
	"testing"
)

// §2.8: a read-only palette does not offer scan, and asking for it says why.
func TestReadOnlyPaletteHasNoScan(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	b.readOnly = true
	d := newDriver(t, b, Options{})
	d.key(":")
	pal := d.m.overlay.(*palette)
	if slices.Contains(pal.completions(), "scan") {
		t.Fatalf("read-only palette offers scan: %v", pal.completions())
	}
	d.typeText("scan")
	d.key("enter")
	d.mustSee("scan is not available: read-only")
}

// §2.8: a disabled policy shows "disabled", not a compliance of 100%.
func TestDisabledPolicyShowsDisabled(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	if err := b.SetPolicyDisabled("ec2-imdsv1-allowed", true); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("policies")
	d.key("enter")
	p := d.m.top().(*policiesPage)
	p.tbl.SetFilter("imdsv1")
	row := strings.Split(p.tbl.View(), "\n")[1]
	if !strings.Contains(row, "off") || strings.Contains(row, "100%") {
		t.Fatalf("disabled policy row: %q", row)
	}
	d.key("enter")
	d.mustSee("compliance  disabled")
}
