package tui

import (
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

func TestSearchHighlightFitsColumnsWithEllipsis(t *testing.T) {
	p := newSearchPage(&common{st: NewStyles(asciiRenderer()), r: asciiRenderer()})
	for _, name := range []string{
		"acme-prod-management arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-prod-management",
		"財務部の本番バケット-finance-報告書-prod-ap-northeast-1-logs",
	} {
		got := p.highlight(name, []int{0, 1, 2}, 30, p.c.st.Key)
		if w := ansi.StringWidth(got); w > 30 {
			t.Errorf("highlight(%q) is %d columns wide, want at most 30: %q", name, w, got)
		}
		if !strings.HasSuffix(ansi.Strip(got), "…") {
			t.Errorf("a cut name does not end with an ellipsis: %q", ansi.Strip(got))
		}
	}
	if got := ansi.Strip(p.highlight("short", []int{0}, 10, p.c.st.Key)); got != "short     " {
		t.Errorf("a short name is %q, want it padded to its column", got)
	}
}

// Without colour the matched letters are still marked: bold and underlined.
func TestSearchMatchMarkedWithoutColour(t *testing.T) {
	p := newSearchPage(&common{st: NewStyles(asciiRenderer()), r: asciiRenderer()})
	got := p.highlight("payments", []int{0, 1}, 10, p.c.st.Key)
	if !strings.Contains(got, "\x1b[1;4mp\x1b[22;24m") {
		t.Fatalf("matched letter not bold+underlined without colour: %q", got)
	}
}

// ctrl+t opens a picker of the types among the matches, with counts;
// enter on one narrows the search to it, and "any" lifts the facet.
func TestSearchTypePickerChoosesAType(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key("/")
	sp := d.m.top().(*searchPage)
	d.key("ctrl+t")
	if sp.picker == nil || len(sp.picker.vals) < 3 {
		t.Fatalf("ctrl+t opened no type picker with types: %+v", sp.picker)
	}
	want := sp.picker.vals[1]
	wantN := sp.picker.counts[1]
	d.mustSee("choose type")
	d.mustSee(itoa(wantN))
	d.key("down")
	d.key("enter")
	if sp.picker != nil || sp.facets.Type != want {
		t.Fatalf("enter chose %q (picker %v), want %q", sp.facets.Type, sp.picker != nil, want)
	}
	if sp.res.Total != wantN {
		t.Fatalf("type %s: %d matching lines, the picker said %d", want, sp.res.Total, wantN)
	}
	d.key("ctrl+t")
	d.key("esc")
	if sp.picker != nil || d.m.top() != Page(sp) {
		t.Fatal("esc did not close only the picker")
	}
	d.key("ctrl+t")
	for range len(sp.picker.vals) {
		d.key("up")
	}
	d.key("enter")
	if sp.facets.Type != "" {
		t.Fatalf("any left type %q", sp.facets.Type)
	}
}

func TestSearchOpensTheViolation(t *testing.T) {
	b := fixtureBackend()
	var v *rules.Violation
	for _, x := range b.violations {
		if x.Status == rules.StatusOpen && (v == nil || x.ID < v.ID) {
			v = x
		}
	}
	if v == nil {
		t.Fatal("the fixture has no open violation")
	}
	d := newDriver(t, b, Options{})
	d.key("/")
	sp := d.m.top().(*searchPage)
	d.typeText(v.ID)
	sp.cursor = -1
	for i, h := range sp.res.Hits {
		if h.Item.Kind == omni.KindViolation && h.Item.ID == v.ID {
			sp.cursor = i
		}
	}
	if sp.cursor < 0 {
		t.Fatalf("searching %s found no violation hit: %d hits", v.ID, len(sp.res.Hits))
	}
	d.key("enter")
	ap, ok := d.m.top().(*assetPage)
	if !ok || ap.assetID != v.AssetID {
		t.Fatalf("enter on violation %s opened %T, want the asset page of %s", v.ID, d.m.top(), v.AssetID)
	}
	if ap.sec != secViolations || ap.data == nil || ap.viols.Selected() < 0 || ap.data.violations[ap.viols.Selected()].ID != v.ID {
		t.Fatalf("enter on violation %s did not open it: section %d", v.ID, ap.sec)
	}
}

func TestAfterLoadIsCalledForPagesAndTheSearchIndex(t *testing.T) {
	var n atomic.Int32
	d := newDriver(t, fixtureBackend(), Options{AfterLoad: func() { n.Add(1) }})
	afterDashboard := n.Load()
	if afterDashboard == 0 {
		t.Fatal("the dashboard loaded without calling AfterLoad")
	}
	d.key("/")
	if n.Load() <= afterDashboard {
		t.Fatal("the search index was built without calling AfterLoad")
	}
}

// Typing a tag value finds the assets that carry it (the index holds an
// asset's tags once per distinct run of tags, not in its line), and enter
// opens the asset.
func TestSearchFindsAnAssetByItsTagValue(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key("/")
	sp := d.m.top().(*searchPage)
	d.typeText("owner=team-11")
	var got []string
	for _, h := range sp.res.Hits {
		if h.Item.Kind == omni.KindAsset {
			got = append(got, h.Item.ID)
			if !strings.Contains(h.Line, "Owner=team-11") {
				t.Errorf("hit %s line %q lacks the tag", h.Item.ID, h.Line)
			}
		}
	}
	slices.Sort(got)
	want := []string{"arn:aws:ec2:eu-west-1:222222222222:instance/i-11", "arn:aws:ec2:eu-west-1:222222222222:volume/vol-11", "arn:aws:s3:::bucket-11"}
	if !slices.Equal(got, want) {
		t.Fatalf("owner=team-11 found assets %v, want %v", got, want)
	}
	if sp.res.Hits[0].Item.Kind != omni.KindAsset {
		t.Fatalf("top hit is a %s", sp.res.Hits[0].Item.Kind)
	}
	top := sp.res.Hits[0].Item.ID
	sp.cursor = 0
	d.key("enter")
	if ap, ok := d.m.top().(*assetPage); !ok || ap.assetID != top {
		t.Fatalf("enter opened %T, want the asset page of %s", d.m.top(), top)
	}
}
