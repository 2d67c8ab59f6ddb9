package tui

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// applyOne fixes the first open imdsv1 violation through the console and
// returns the driver on the fixes page with the applied record selected.
func applyOne(t *testing.T, b *fakeBackend) (*driver, rules.Violation) {
	t.Helper()
	d := newDriver(t, b, Options{})
	v := openViolation(t, d, "ec2-imdsv1")
	d.key("f", "y")
	if len(b.appliedFixes()) != 1 {
		t.Fatal("the fix was not applied")
	}
	d.key(":")
	d.typeText("fixes")
	d.key("enter")
	return d, v
}

func TestUndoFromTheFixesPageDefaultsToNoThenReopens(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d, v := applyOne(t, b)
	d.key("u")
	if _, ok := d.m.overlay.(*undoDialog); !ok {
		t.Fatalf("u opened %T", d.m.overlay)
	}
	d.mustSee("restores (the state before the fix)")
	d.key("enter") // No is the default
	if len(b.undone) != 0 {
		t.Fatal("enter on the default No undid the fix")
	}
	if b.fixes[0].Status != fix.RecordRefused || b.fixes[0].UndoOf == "" {
		t.Fatalf("the declined undo is not audited: %+v", b.fixes[0])
	}
	// The applied record is now the second row; select it and undo.
	d.key("j", "u", "y")
	if len(b.undone) != 1 {
		t.Fatalf("y did not undo (undone %v)", b.undone)
	}
	d.mustSee("fix undone")
	if got, _ := b.Violation(v.ID); got.Status != rules.StatusOpen {
		t.Fatalf("violation %s is %s after the undo, want open", v.ID, got.Status)
	}
	// A second undo of the same record shows the refusal.
	p := d.m.top().(*fixesPage)
	for pos := 0; pos < p.tbl.Len(); pos++ {
		if p.items[p.tbl.index(pos)].UndoneBy != "" {
			p.tbl.cursor = pos
		}
	}
	d.key("u")
	d.mustSee("already undone")
}

func TestUndoFromTheAssetFixesTab(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	d, v := applyOne(t, b)
	d.send(pushMsg{newAssetPage(d.m.c, v.AssetID)})
	d.key("5") // the Fixes tab
	d.mustSee("u undo fix")
	d.key("u", "y")
	if len(b.undone) != 1 {
		t.Fatal("u on the asset's Fixes tab did not undo")
	}
}

func TestUndoOfANonUndoableFixSaysWhy(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	b.fixes = []fix.Record{{ID: "fix-9", Action: "ec2-release-eip", Status: fix.RecordApplied, AssetID: "x"}}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("fixes")
	d.key("enter", "u")
	d.mustSee("cannot undo")
	d.mustSee("cannot be undone")
	d.key("y")
	if len(b.undone) != 0 {
		t.Fatal("y undid a record the rules refuse")
	}
}

func TestReadOnlyUndoSaysReadOnly(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	b.readOnly = true
	b.fixes = []fix.Record{{ID: "fix-1", Status: fix.RecordApplied, Undoable: true}}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("fixes")
	d.key("enter", "u")
	if d.m.overlay != nil {
		t.Fatalf("a read-only session opened %T", d.m.overlay)
	}
	d.mustSee("read-only")
}

// §2.4: the fix dialog shows the calls and the before-state whole and
// scrolls, instead of cutting them with "…".
func TestFixDialogShowsTheBeforeStateWholeAndScrolls(t *testing.T) {
	t.Parallel()
	b := fixtureBackend()
	rulesList := make([]any, 30)
	for i := range rulesList {
		rulesList[i] = map[string]any{"cidr": "10.0." + itoa(i) + ".0/24", "from_port": 22, "to_port": 22}
	}
	rulesList[29] = map[string]any{"cidr": "0.0.0.0/0", "from_port": 22, "to_port": 22}
	b.planBefore = map[string]any{"ingress": rulesList}
	d := newDriver(t, b, Options{})
	openViolation(t, d, "ec2-imdsv1")
	d.key("f")
	if strings.Contains(d.view(), "…") {
		t.Fatalf("the dialog cuts something with …:\n%s", d.view())
	}
	d.mustSee("(↑/↓, pgup/pgdn scroll)")
	if strings.Contains(d.view(), "0.0.0.0/0") {
		t.Fatal("the last rule is on the first screen: nothing to scroll")
	}
	for range 40 {
		d.key("down")
	}
	d.mustSee("0.0.0.0/0")
	if len(b.appliedFixes()) != 0 {
		t.Fatal("scrolling applied the fix")
	}
}
