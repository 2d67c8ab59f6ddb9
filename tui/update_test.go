package tui

import (
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

func TestEscPopsButNeverQuits(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	if got := d.titles(); !reflect.DeepEqual(got, []string{"Dashboard", "Violations"}) {
		t.Fatalf("stack after :violations = %v", got)
	}
	d.key("esc")
	d.key("esc")
	d.key("esc")
	if d.quit {
		t.Fatal("esc quit the console")
	}
	if got := d.titles(); !reflect.DeepEqual(got, []string{"Dashboard"}) {
		t.Fatalf("stack after esc = %v, want just the dashboard", got)
	}
}

func TestQQuitsOnlyFromFirstPage(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key("tab", "tab", "enter") // violations tile
	if len(d.titles()) != 2 {
		t.Fatalf("enter on a tile did not open a page: %v", d.titles())
	}
	d.key("q")
	if d.quit {
		t.Fatal("q quit from a second page")
	}
	d.key("esc", "q")
	if !d.quit {
		t.Fatal("q on the first page did not quit")
	}
}

func TestCtrlCQuitsFromAnywhere(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key("/")
	d.typeText("bucket")
	d.key("ctrl+c")
	if !d.quit {
		t.Fatal("ctrl+c inside search did not quit")
	}
}

func TestPaletteCompletion(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key(":")
	d.typeText("vio")
	d.key("tab")
	p := d.m.overlay.(*palette)
	if p.in.Value() != "violations" {
		t.Fatalf("tab completed %q, want violations", p.in.Value())
	}
	p.in.SetValue("group p")
	if got := p.completions(); !reflect.DeepEqual(got, []string{"group prod"}) {
		t.Fatalf("group completions = %v", got)
	}
	d.key("tab", "enter")
	if d.m.c.group != "prod" {
		t.Fatalf(":group prod left group %q", d.m.c.group)
	}
	d.mustSee("group prod")
}

func TestGroupSwitchChangesNumbers(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	before := d.m.stack[0].(*dashboard).data
	d.key("g")
	d.typeText("buckets")
	d.key("enter")
	after := d.m.stack[0].(*dashboard).data
	if d.m.c.group != "buckets" || after == before {
		t.Fatalf("group %q, dashboard data not reloaded", d.m.c.group)
	}
	if after.assets >= before.assets || after.byType["aws.s3.bucket"] != after.assets {
		t.Fatalf("buckets group shows %d assets (%v), all had %d", after.assets, after.byType, before.assets)
	}
	if d.m.c.recent[0] != "buckets" {
		t.Fatalf("recent groups = %v", d.m.c.recent)
	}
}

func TestStaleGenerationDropped(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	dash := d.m.stack[0].(*dashboard)
	old := dash.Init() // a load for group "all", still in flight
	d.key(":")
	d.typeText("group buckets")
	d.key("enter")
	fresh := dash.data
	for _, msg := range collect(old) {
		d.send(msg) // the late answer for "all"
	}
	if dash.data != fresh {
		t.Fatal("a result for the old group replaced the new group's data")
	}
}

// openViolation opens the violations page filtered to one policy and
// returns the first violation.
func openViolation(t *testing.T, d *driver, policy string) rules.Violation {
	t.Helper()
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	vp := d.m.top().(*violationsPage)
	vp.tbl.SetFilter(defaultViolationFilter + " policy:" + policy)
	v := vp.selected()
	if v == nil {
		t.Fatalf("no open violation of %s", policy)
	}
	return *v
}

func TestFixDefaultIsNo(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	openViolation(t, d, "ec2-imdsv1")
	d.key("f")
	if _, ok := d.m.overlay.(*fixModal); !ok {
		t.Fatalf("f did not open the fix dialog (overlay %T)", d.m.overlay)
	}
	d.mustSee("Apply this fix?")
	d.key("enter")
	if d.m.overlay != nil || len(b.appliedFixes()) != 0 {
		t.Fatalf("enter on the default choice applied a fix: %v", b.appliedFixes())
	}
	// The console's No is audited like the CLI's: one refused record.
	recs, _ := b.FixRecords(10)
	if len(recs) != 1 || recs[0].Status != fix.RecordRefused || recs[0].Error != "declined in the console" {
		t.Fatalf("audit after No: %+v, want one refused record", recs)
	}
}

func TestFixYesAppliesAndClosesInPlace(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	v := openViolation(t, d, "ec2-imdsv1")
	d.key("f", "y")
	if got := b.appliedFixes(); !reflect.DeepEqual(got, []string{v.ID}) {
		t.Fatalf("applied %v, want %s", got, v.ID)
	}
	vp := d.m.top().(*violationsPage)
	for _, x := range vp.items {
		if x.ID == v.ID && x.Status != rules.StatusClosed {
			t.Fatalf("violation still %s after the fix", x.Status)
		}
	}
	d.mustSee("fix applied")
}

func TestCriticalFixNeedsTypedName(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	v := openViolation(t, d, "s3-bucket-public")
	d.key("f", "y", "enter")
	if len(b.appliedFixes()) != 0 {
		t.Fatal("y applied a critical fix without the typed name")
	}
	if d.m.overlay == nil {
		d.key("f")
	}
	d.typeText("wrong-name")
	d.key("enter")
	if len(b.appliedFixes()) != 0 {
		t.Fatal("a wrong name applied the fix")
	}
	f := d.m.overlay.(*fixModal)
	f.typed.SetValue("")
	d.typeText(v.AssetName)
	d.key("enter")
	if got := b.appliedFixes(); !reflect.DeepEqual(got, []string{v.ID}) {
		t.Fatalf("typed name applied %v, want %s", got, v.ID)
	}
}

func TestReadOnlyHasNoFixKey(t *testing.T) {
	b := demoBackend()
	b.readOnly = true
	d := newDriver(t, b, Options{})
	openViolation(t, d, "ec2-imdsv1")
	d.key("f")
	d.key("e")
	if d.m.overlay != nil {
		t.Fatalf("read-only session opened %T", d.m.overlay)
	}
	if strings.Contains(d.view(), "f fix") {
		t.Fatal("read-only footer offers the fix key")
	}
	d.key("?")
	d.mustSee("not available")
	d.mustSee("read-only session")
}

func TestExceptionFlowPrefillsAndSaves(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	v := openViolation(t, d, "required-tags")
	d.key("e")
	f, ok := d.m.overlay.(*exceptionForm)
	if !ok {
		t.Fatalf("e opened %T", d.m.overlay)
	}
	d.key("enter")
	if !strings.Contains(f.err, "reason") {
		t.Fatalf("empty reason accepted (err %q)", f.err)
	}
	d.typeText("accepted until migration")
	d.key("tab", "tab", "space") // to kind, make it sticky
	crit := f.criteria()
	if crit.Types[0] != v.AssetType || crit.Match["account"][0] != v.Account {
		t.Fatalf("sticky criteria %+v not prefilled from %s", crit, v.AssetID)
	}
	d.key("enter")
	xs, _ := b.Exceptions()
	if len(xs) != 1 || xs[0].Kind != rules.ExceptionSticky || xs[0].Reason != "accepted until migration" ||
		!xs[0].Expires.Equal(testNow.AddDate(0, 0, 30)) {
		t.Fatalf("stored exceptions %+v", xs)
	}
}

func TestTooSmall(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.send(tea.WindowSizeMsg{Width: 79, Height: 30})
	d.mustSee("terminal too small (need 80×24, have 79×30)")
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.mustSee("Compliance")
}

func TestRebindFromConfig(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{Keys: map[string][]string{"search": {"ctrl+t"}, "bogus": {"x"}}})
	d.key("/")
	if len(d.titles()) != 1 {
		t.Fatal("old key still opens search after rebinding")
	}
	d.key("ctrl+t")
	if d.titles()[len(d.titles())-1] != "Search" {
		t.Fatalf("rebound key did not open search: %v", d.titles())
	}
}

func TestFilterTerms(t *testing.T) {
	cols := []string{"severity", "status", "policy"}
	row := []string{"high", "open", "ebs-volume-unencrypted"}
	for _, c := range []struct {
		q    string
		want bool
	}{
		{"ebs", true}, {"ebs high", true}, {"ebs low", false}, {"!ebs", false},
		{"severity:high", true}, {"severity:open", false}, {"!status:closed", true}, {"", true},
	} {
		if got := parseFilter(c.q).match(cols, row); got != c.want {
			t.Errorf("filter %q = %v, want %v", c.q, got, c.want)
		}
	}
}

func TestScanStreamsProgressAndRefreshes(t *testing.T) {
	b := demoBackend()
	d := newDriver(t, b, Options{})
	d.key(":")
	d.typeText("scans")
	d.key("enter")
	d.key("r")
	if b.cycles != 1 {
		t.Fatalf("r ran %d cycles", b.cycles)
	}
	sp := d.m.top().(*scansPage)
	if len(sp.items) != 2 || sp.items[0].ID != "scan-2" {
		t.Fatalf("scans page not refreshed after the cycle: %d scans", len(sp.items))
	}
	d.mustSee("scan complete: 1 opened, 2 closed")
}

func TestCopyARNWritesOSC52(t *testing.T) {
	b := fixtureBackend()
	d := newDriver(t, b, Options{})
	id := "arn:aws:s3:::bucket-00"
	d.send(pushMsg{newAssetPage(d.m.c, id)})
	d.key("y")
	want := "\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte(id)) + "\x07"
	if !strings.HasPrefix(d.view(), want) {
		t.Fatalf("frame does not start with the OSC52 copy of %s: %q", id, d.view()[:40])
	}
	d.send(copyClearMsg{d.m.oscN})
	if strings.Contains(d.view(), "\x1b]52") {
		t.Fatal("the OSC52 sequence stays in later frames")
	}
}

func TestBackendSliceNotReordered(t *testing.T) {
	be := newCachedBackend(500)
	before := append([]asset.Summary(nil), be.sums...)
	d := newDriver(t, be, Options{})
	d.send(pushMsg{newAssetListPage(d.m.c, "All", nil)})
	if !reflect.DeepEqual(before, be.sums) {
		t.Fatal("the asset list sorted the backend's own slice")
	}
}

func TestFilterAddsTermToDefault(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter")
	vp := d.m.top().(*violationsPage)
	all := vp.tbl.Len()
	d.key("F")
	d.typeText("severity:critical")
	d.key("enter")
	if vp.tbl.Len() == 0 || vp.tbl.Len() >= all {
		t.Fatalf("filter kept %d of %d rows", vp.tbl.Len(), all)
	}
	for pos := 0; pos < vp.tbl.Len(); pos++ {
		v := vp.items[vp.tbl.index(pos)]
		if v.Severity != rules.SeverityCritical || v.Status == rules.StatusClosed {
			t.Fatalf("filtered list holds a %s %s violation", v.Severity, v.Status)
		}
	}
	d.key("esc")
	if vp.tbl.filterText != defaultViolationFilter || len(d.titles()) != 2 {
		t.Fatalf("esc should reset the filter first (filter %q, stack %v)", vp.tbl.filterText, d.titles())
	}
}

func TestHelpFitsNarrowTerminal(t *testing.T) {
	b := demoBackend()
	b.readOnly = true
	d := newDriver(t, b, Options{})
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.key("?")
	d.mustSee("not available")
	for _, l := range strings.Split(d.view(), "\n") {
		if strings.Contains(l, "not available") && strings.Count(l, "║") != 2 {
			t.Fatalf("the help box is cut at the screen edge: %q", l)
		}
		if w := lipgloss.Width(l); w > 80 {
			t.Fatalf("help line is %d wide: %q", w, l)
		}
	}
}

func TestOfferLatestKeepsNewest(t *testing.T) {
	ch := make(chan cycle.Progress, 1)
	for i := 1; i <= 5; i++ {
		offerLatest(ch, cycle.Progress{Done: i})
	}
	if p := <-ch; p.Done != 5 {
		t.Fatalf("coalesced progress is %d, want the newest (5)", p.Done)
	}
}

func TestStaleSearchResultDropped(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key("/")
	sp := d.m.top().(*searchPage)
	d.typeText("web")
	want := sp.res.Total
	d.send(searchResultMsg{page: sp.id, seq: sp.seq - 1, res: omni.Result{Total: 999}})
	if sp.res.Total != want {
		t.Fatalf("a result for an older keystroke replaced the current one (%d)", sp.res.Total)
	}
}

func TestFixPlanErrorIsFriendlyAndFooterOffersOnlyClose(t *testing.T) {
	b := demoBackend()
	b.planErr = errors.New("fixes need AWS credentials; this session has none (demo or read-only)")
	d := newDriver(t, b, Options{})
	openViolation(t, d, "ec2-imdsv1")
	d.key("f")
	d.mustSee("fixes need AWS credentials")
	if v := d.view(); strings.Contains(v, "y apply") || strings.Contains(v, "Apply this fix?") {
		t.Fatalf("a failed plan still offers to apply:\n%s", v)
	}
	d.mustSee("esc close")
	d.key("y")
	if len(b.appliedFixes()) != 0 {
		t.Fatal("y applied a fix that could not be planned")
	}
	d.key("esc")
	if d.m.overlay != nil {
		t.Fatalf("esc left the failed fix dialog open (%T)", d.m.overlay)
	}
}

func TestBreadcrumbKeepsTheCurrentPageName(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.send(tea.WindowSizeMsg{Width: 80, Height: 24})
	d.send(pushMsg{newPolicyPage(d.m.c, "required-tags-missing")})
	for _, n := range []string{"00", "01", "02", "10", "11", "12", "00", "01", "02", "10", "11"} {
		d.send(pushMsg{newAssetPage(d.m.c, "arn:aws:s3:::bucket-"+n)})
	}
	crumb := strings.Split(d.view(), "\n")[1]
	if !strings.HasSuffix(strings.TrimRight(crumb, " "), "bucket-11") {
		t.Fatalf("breadcrumb %q lost the current page's name", crumb)
	}
	if !strings.HasPrefix(crumb, "… › ") {
		t.Fatalf("breadcrumb %q does not show that older crumbs were dropped", crumb)
	}
}

func TestViolationTypeFilterTakesTheFullTypeName(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key(":")
	d.typeText("violations")
	d.key("enter", "F")
	d.typeText("type:aws.s3.bucket")
	d.key("enter")
	vp := d.m.top().(*violationsPage)
	if vp.tbl.Len() == 0 {
		t.Fatal("type:aws.s3.bucket matched no violation; the list shows s3.bucket but the type is aws.s3.bucket")
	}
	for pos := 0; pos < vp.tbl.Len(); pos++ {
		if v := vp.items[vp.tbl.index(pos)]; v.AssetType != "aws.s3.bucket" {
			t.Fatalf("type:aws.s3.bucket kept a %s violation", v.AssetType)
		}
	}
	d.key("esc", "F")
	d.typeText("type:s3.bucket")
	d.key("enter")
	if vp.tbl.Len() == 0 {
		t.Fatal("the short type shown in the list no longer filters")
	}
}

// The picker opens on the current group (marked and listed first), so
// enter keeps the scope; the group used before is next, one key away.
func TestGroupPickerStartsOnTheCurrentGroup(t *testing.T) {
	d := newDriver(t, demoBackend(), Options{})
	d.key("g")
	if v := d.view(); !strings.Contains(v, "> • all") {
		t.Fatalf("the picker did not open on the current group all:\n%s", v)
	}
	d.key("enter")
	if d.m.c.group != "all" {
		t.Fatalf("g, enter from all went to %q", d.m.c.group)
	}
	d.key("g")
	d.typeText("buckets")
	d.key("enter")
	if d.m.c.group != "buckets" {
		t.Fatalf("group %q, want buckets", d.m.c.group)
	}
	d.key("g")
	if v := d.view(); !strings.Contains(v, "> • buckets") {
		t.Fatalf("the picker did not open on the current group buckets:\n%s", v)
	}
	d.key("down", "enter")
	if d.m.c.group != "all" {
		t.Fatalf("g, down, enter from buckets went to %q, want back to all", d.m.c.group)
	}
}
