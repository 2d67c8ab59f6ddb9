package tui

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/rules"
)

func TestPolicyDisableIsConfirmedDefaultNo(t *testing.T) {
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	d.send(pushMsg{newPolicyPage(d.m.c, "ec2-imdsv1-allowed")})
	d.key("d")
	if _, ok := d.m.overlay.(*confirmDialog); !ok {
		t.Fatalf("d opened %T, want a confirmation", d.m.overlay)
	}
	d.key("enter")
	if b.Policies()[2].Disabled {
		t.Fatal("enter on the default answer disabled the policy")
	}
	d.key("d", "y")
	if !b.Policies()[2].Disabled {
		t.Fatal("y did not disable the policy")
	}
	d.mustSee("policy disabled")
}

func TestRevokeException(t *testing.T) {
	b := fixtureBackend()
	v := b.violations["required-tags-missing|arn:aws:s3:::bucket-02"]
	if _, err := b.AddException(rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: v.ID,
		Reason: "r", Expires: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("exceptions")
	d.key("enter")
	d.mustSee("active")
	d.key("x", "y")
	xs, _ := b.Exceptions()
	if xs[0].RevokedAt == nil {
		t.Fatal("x, y did not revoke the exception")
	}
	d.mustSee("revoked")
}

func TestGroupEditorCountsLive(t *testing.T) {
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("groups")
	d.key("enter", "n")
	e, ok := d.m.overlay.(*groupEditor)
	if !ok {
		t.Fatalf("n opened %T", d.m.overlay)
	}
	d.typeText("web")
	d.key("tab")
	d.typeText("aws.ec2.instance")
	if e.count != 6 {
		t.Fatalf("live count %d, want the 6 fixture instances", e.count)
	}
	d.key("tab")
	d.typeText("tags.Environment=prod")
	if e.count != 4 {
		t.Fatalf("live count %d, want the 4 prod instances", e.count)
	}
	d.key("enter")
	gs, _ := b.Groups()
	if last := gs[len(gs)-1]; last.Name != "web" || last.Match["tags.Environment"][0] != "prod" {
		t.Fatalf("saved group %+v", last)
	}
}

func TestListDrawsOnlyVisibleRows(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	p := newAssetListPage(d.m.c, "All", nil)
	p.SetSize(120, 30)
	items := benchSummaries(100_000)
	p.setItems(items)
	calls := 0
	row := p.tbl.row
	p.tbl.row = func(i int) []string { calls++; return row(i) }
	_ = p.View()
	if calls > 30 {
		t.Fatalf("one frame asked for %d rows of a 30-line list", calls)
	}
	p.tbl.Update(keyMsg("G"))
	last := p.items[len(p.items)-1].Name
	calls = 0
	if v := p.View(); calls > 30 || !strings.Contains(v, last) {
		t.Fatalf("after G: %d rows drawn, last row visible=%v", calls, strings.Contains(v, last))
	}
}
