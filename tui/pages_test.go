package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
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
		PolicyIDs: []string{v.PolicyID}, Reason: "r", Expires: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("exceptions")
	d.key("enter")
	d.mustSee("active")
	d.key("x")
	d.mustSee("Revoke the individual exception of required-tags-missing on " + v.AssetName + "?")
	d.key("y")
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

func TestPolicyPageListsItsExceptions(t *testing.T) {
	b := fixtureBackend()
	v := b.violations["required-tags-missing|arn:aws:s3:::bucket-02"]
	add := func(e rules.Exception) rules.Exception {
		t.Helper()
		x, err := b.AddException(e)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	add(rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: v.ID, PolicyIDs: []string{v.PolicyID},
		Reason: "owner confirmed late", Expires: testNow.AddDate(0, 1, 0)})
	add(rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{v.PolicyID},
		Criteria: &groups.Group{Name: "sandbox"}, Reason: "sandbox is exempt", Expires: testNow.AddDate(0, 0, 2)})
	add(rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{"ec2-imdsv1-allowed"},
		Reason: "another policy's exception", Expires: testNow.AddDate(0, 0, 5)})
	revoked := add(rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{v.PolicyID},
		Reason: "old waiver", Expires: testNow.AddDate(0, 0, 9)})
	if err := b.RevokeException(revoked.ID); err != nil {
		t.Fatal(err)
	}

	d := newDriver(t, b, Options{})
	d.send(pushMsg{newPolicyPage(d.m.c, v.PolicyID)})
	view := d.view()
	for _, want := range []string{"Exceptions (3)", "2 exceptions", "sandbox is exempt", "owner confirmed late",
		v.AssetName, "old waiver", "revoked"} {
		if !strings.Contains(view, want) {
			t.Errorf("policy page lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "another policy's exception") {
		t.Errorf("policy page lists another policy's exception:\n%s", view)
	}
	soon, later := strings.Index(view, "sandbox is exempt"), strings.Index(view, "owner confirmed late")
	if soon > later || later > strings.Index(view, "old waiver") {
		t.Errorf("exceptions not listed active and soonest-expiring first:\n%s", view)
	}
	if lines := strings.Count(view, "\n") + 1; lines != 40 {
		t.Errorf("page is %d lines high, want the 40-line window", lines)
	}
}

func TestScansPageShowsFailedUnitsFirstWithinTheWindow(t *testing.T) {
	b := fixtureBackend()
	sc := asset.Scan{ID: "scan-big", Started: testNow.Add(-time.Hour), Finished: testNow.Add(-time.Hour + time.Minute),
		Status: asset.ScanPartial, Source: "aws", By: "schedule"}
	for i := range 60 {
		u := asset.Unit{UnitKey: asset.UnitKey{Account: "111111111111", Region: "us-east-1", Type: fmt.Sprintf("aws.type-%02d", i)},
			Status: asset.UnitComplete, Assets: i}
		if i == 50 {
			u.Status, u.Error = asset.UnitFailed, "AccessDenied: not authorized to perform ec2:DescribeFlowLogs"
		}
		sc.Units = append(sc.Units, u)
	}
	b.scans = append([]asset.Scan{sc}, b.scans...)
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("scans")
	d.key("enter")
	view := d.view()
	for _, want := range []string{"aws.type-50", "AccessDenied", "1 failed of 60", "more units"} {
		if !strings.Contains(view, want) {
			t.Errorf("scans page lacks %q:\n%s", want, view)
		}
	}
	if lines := strings.Count(view, "\n") + 1; lines != 40 {
		t.Errorf("scans page is %d lines high, want the 40-line window", lines)
	}
}

func TestAssetPageHelpNamesSectionAndFoldKeys(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.send(pushMsg{newAssetPage(d.m.c, "arn:aws:s3:::bucket-00")})
	d.key("2")
	if !strings.Contains(d.view(), "fold/unfold") {
		t.Errorf("attributes footer does not say enter folds:\n%s", d.view())
	}
	d.key("?")
	for _, want := range []string{"1-6", "section", "fold/unfold", "toggle view"} {
		if !strings.Contains(d.view(), want) {
			t.Errorf("asset page help lacks %q:\n%s", want, d.view())
		}
	}
}

func TestGroupsPageShowsWholeBuiltinNames(t *testing.T) {
	b := fixtureBackend()
	b.groups = append(b.groups, groups.Group{Name: "region:ap-southeast-2", Builtin: true, Source: "builtin",
		Match: map[string][]string{"region": {"ap-southeast-2"}}})
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("groups")
	d.key("enter")
	d.mustSee("region:ap-southeast-2 ")
}

func TestGroupEditRenameReplacesTheOldGroup(t *testing.T) {
	b := fixtureBackend()
	if err := b.SaveGroup(groups.Group{Name: "web", Source: "store", Types: []string{"aws.ec2.instance"},
		Match: map[string][]string{"tags.Environment": {"prod"}, "account": {"111111111111"}, "region": {"us-east-1"}}}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("groups")
	d.key("enter", "G", "E")
	e, ok := d.m.overlay.(*groupEditor)
	if !ok {
		t.Fatalf("E opened %T", d.m.overlay)
	}
	if got, want := e.fields[2].Value(), "account=111111111111 region=us-east-1 tags.Environment=prod"; got != want {
		t.Errorf("match field %q, want the sorted %q", got, want)
	}
	d.typeText("-prod")
	d.key("enter")
	gs, _ := b.Groups()
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
	}
	if !slices.Contains(names, "web-prod") || slices.Contains(names, "web") {
		t.Fatalf("after renaming web to web-prod the groups are %v", names)
	}
	d.mustSee("renamed to web-prod")
}

func TestExceptionsPageSaysWhatEachCoversAndOpensTheAsset(t *testing.T) {
	b := fixtureBackend()
	v := b.violations["required-tags-missing|arn:aws:s3:::bucket-02"]
	if _, err := b.AddException(rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: v.ID,
		PolicyIDs: []string{v.PolicyID}, Reason: "one bucket", Expires: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.AddException(rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{v.PolicyID},
		Criteria: &groups.Group{Match: map[string][]string{"account": {"333333333333"}}}, Reason: "sandbox",
		Expires: testNow.AddDate(0, 0, 9)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("exceptions")
	d.key("enter")
	d.mustSee(v.AssetName)
	d.mustSee("account=333333333333")
	d.key("enter")
	ap, ok := d.m.top().(*assetPage)
	if !ok || ap.assetID != v.AssetID {
		t.Fatalf("enter on the individual exception opened %T, want the asset page of %s", d.m.top(), v.AssetID)
	}
}

func TestLongRegionNamesAreNotCut(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	vp := d.m.top().(*violationsPage)
	vp.tbl.SetFilter(defaultViolationFilter + " region:ap-southeast-2")
	if vp.tbl.Len() == 0 {
		t.Fatal("the demo has no violations in ap-southeast-2")
	}
	d.mustSee(" ap-southeast-2 ")
}

func TestAssetViolationsTabCountsExemptAndClosedToo(t *testing.T) {
	b := fixtureBackend()
	v := b.violations["required-tags-missing|arn:aws:s3:::bucket-02"]
	if _, err := b.AddException(rules.Exception{Kind: rules.ExceptionIndividual, ViolationID: v.ID,
		PolicyIDs: []string{v.PolicyID}, Reason: "r", Expires: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.send(pushMsg{newAssetPage(d.m.c, v.AssetID)})
	ap := d.m.top().(*assetPage)
	open, all := ap.openCount(), len(ap.data.violations)
	if open == all {
		t.Fatalf("fixture asset has %d open of %d violations; want an exempt one", open, all)
	}
	d.mustSee("Violations (" + itoa(open) + " open of " + itoa(all) + ")")
}

func TestExceptionFormFooterOffersSpaceOnlyOnKind(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	openViolation(t, d, "ec2-imdsv1")
	d.key("e")
	if _, ok := d.m.overlay.(*exceptionForm); !ok {
		t.Fatalf("e opened %T", d.m.overlay)
	}
	if strings.Contains(d.view(), "space individual/sticky") {
		t.Error("on the reason field the footer offers space to toggle the kind, but space types a space")
	}
	d.typeText("a b")
	if got := d.m.overlay.(*exceptionForm).reason.Value(); got != "a b" {
		t.Errorf("reason %q, want the typed \"a b\"", got)
	}
	d.key("tab", "tab")
	d.mustSee("space individual/sticky")
}

func TestDisablingAPolicyWithTheCursorOnItsLastRowDoesNotCrash(t *testing.T) {
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	d.send(pushMsg{newPolicyPage(d.m.c, "required-tags-missing")})
	pp := d.m.top().(*policyPage)
	if pp.tbl.Len() < 2 {
		t.Fatalf("policy has %d failing assets; want several", pp.tbl.Len())
	}
	d.key("G", "d", "y") // the reload brings an empty list while the cursor is on the last row
	if pp.tbl.Len() != 0 {
		t.Fatalf("%d failing assets after disabling the policy, want none", pp.tbl.Len())
	}
	d.mustSee("disabled")
}

func TestReloadKeepsTheCursorOnTheSameViolation(t *testing.T) {
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	vp := d.m.top().(*violationsPage)
	first := vp.items[0]
	for vp.selected().PolicyID == first.PolicyID {
		d.key("down")
	}
	d.key("down") // a few rows below the first other policy's, well inside the list
	want := vp.selected()
	if want.PolicyID == first.PolicyID || vp.tbl.cursor == vp.tbl.Len()-1 {
		t.Fatalf("cursor at %d of %d on %s; want a middle row of another policy", vp.tbl.cursor, vp.tbl.Len(), want.PolicyID)
	}
	if err := b.SetPolicyDisabled(first.PolicyID, true); err != nil { // rows above the cursor go away
		t.Fatal(err)
	}
	d.send(refreshMsg{})
	if got := vp.selected(); got == nil || got.ID != want.ID {
		t.Fatalf("after a reload the cursor is on %+v, want violation %s", got, want.ID)
	}
}

func TestLongConfirmQuestionWrapsInsideTheScreen(t *testing.T) {
	b := fixtureBackend()
	v := b.violations["required-tags-missing|arn:aws:s3:::bucket-02"]
	if _, err := b.AddException(rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{v.PolicyID, "ebs-volume-unencrypted"},
		Criteria: &groups.Group{Types: []string{"aws.ec2.instance", "aws.s3.bucket"},
			Match: map[string][]string{"account": {"111111111111"}, "tags.Environment": {"dev", "sandbox"}}},
		Reason: "r", Expires: testNow.AddDate(0, 0, 3)}); err != nil {
		t.Fatal(err)
	}
	d := newDriver(t, b, Options{})
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key(":")
	d.typeText("exceptions")
	d.key("enter", "x")
	if _, ok := d.m.overlay.(*confirmDialog); !ok {
		t.Fatalf("x opened %T", d.m.overlay)
	}
	d.mustSee("open at once.")
	for i, l := range strings.Split(d.view(), "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("line %d is %d columns wide on an 80-column screen: %q", i, w, l)
		}
	}
}

func TestEscClearsAFilterBeforeLeavingEveryListPage(t *testing.T) {
	for _, page := range []string{"exceptions", "scans", "groups", "fixes"} {
		t.Run(page, func(t *testing.T) {
			d := newDriver(t, fixtureBackend(), Options{})
			d.key(":")
			d.typeText(page)
			d.key("enter", "F")
			d.typeText("zzz")
			d.key("enter")
			d.mustSee("esc clears")
			d.key("esc")
			if got := len(d.titles()); got != 2 {
				t.Fatalf("esc with a filter applied left the page (stack %v); the filter line says esc clears", d.titles())
			}
			if strings.Contains(d.view(), "esc clears") {
				t.Fatal("esc did not clear the filter")
			}
			d.key("esc")
			if got := len(d.titles()); got != 1 {
				t.Fatalf("second esc did not go back (stack %v)", d.titles())
			}
		})
	}
}

func TestPolicyPageSaysWhenNoFrameworkIsMapped(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.send(pushMsg{newPolicyPage(d.m.c, "s3-bucket-public-access-block")})
	d.mustSee("frameworks  cis-aws-3.0:2.1.4")
	d.send(pushMsg{newPolicyPage(d.m.c, "required-tags-missing")})
	d.mustSee("frameworks  none mapped")
}

func TestUntaggedCountsOnlyTaggableAWSResources(t *testing.T) {
	b := demoBackend()
	want, findings := 0, 0
	for _, s := range b.sums {
		switch {
		case s.Type == asset.TypeVulnFinding:
			findings++
		case s.Tags.IsZero() && s.Type != asset.TypeAccount:
			want++
		}
	}
	if findings == 0 || want == 0 {
		t.Fatalf("demo has %d findings and %d untagged resources; want some of each", findings, want)
	}
	d := newDriver(t, b, Options{})
	d.mustSee(itoa(want) + " untagged assets")
	d.key(":")
	d.typeText("assets")
	d.key("enter")
	ap := d.m.top().(*assetsPage)
	for _, r := range ap.rows {
		if r.label == "untagged resources" && r.count != want {
			t.Fatalf("assets page counts %d untagged, want %d (findings carry no AWS tags)", r.count, want)
		}
	}
}

func TestTreeAndRawJSONKeepTheirOwnScroll(t *testing.T) {
	b := demoBackend()
	id := ""
	for _, s := range b.sums {
		if s.Type == asset.TypeEC2Instance {
			id = s.ID
			break
		}
	}
	d := newDriver(t, b, Options{})
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24}) // the raw document is taller than the page
	d.send(pushMsg{newAssetPage(d.m.c, id)})
	ap := d.m.top().(*assetPage)
	if n := len(rawJSON(ap.data.a.Attrs)); n <= 24 {
		t.Fatalf("instance document is %d lines; want one taller than the screen", n)
	}
	d.key("2", "down", "down", "t")
	body := strings.Split(d.view(), "\n")
	if got := strings.TrimSpace(body[4]); got != "{" {
		t.Fatalf("raw JSON opened scrolled to %q after moving in the tree; want it to start at {", got)
	}
	d.key("down", "t")
	if ap.tree.cursor != 2 {
		t.Fatalf("scrolling the raw view moved the tree cursor to %d, want 2", ap.tree.cursor)
	}
}
