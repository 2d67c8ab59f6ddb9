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
	st := NewStyles(asciiRenderer())
	for _, line := range []string{
		"acme-prod-management arn:aws:cloudtrail:us-east-1:111111111111:trail/acme-prod-management aws.cloudtrail.trail",
		"財務部の本番バケット arn:aws:s3:::finance-報告書-prod aws.s3.bucket 111111111111 ap-northeast-1",
	} {
		got := highlight(st, line, []int{0, 1, 2}, 40)
		if w := ansi.StringWidth(got); w > 40 {
			t.Errorf("highlight(%q) is %d columns wide, want at most 40: %q", line, w, got)
		}
		if !strings.HasSuffix(ansi.Strip(got), "…") {
			t.Errorf("a cut line does not end with an ellipsis: %q", ansi.Strip(got))
		}
	}
	if got := ansi.Strip(highlight(st, "short line", []int{0}, 40)); got != "short line" {
		t.Errorf("a short line changed: %q", got)
	}
}

func TestSearchTypeFacetCyclesThroughEveryType(t *testing.T) {
	d := newDriver(t, fixtureBackend(), Options{})
	d.key("/")
	sp := d.m.top().(*searchPage)
	seen := map[string]bool{}
	for range 3 {
		d.key("ctrl+t")
		if sp.facets.Type == "" || seen[sp.facets.Type] {
			t.Fatalf("ctrl+t went to %q after %v; want the next type", sp.facets.Type, seen)
		}
		seen[sp.facets.Type] = true
		if sp.res.Total == 0 {
			t.Fatalf("no matches of type %s", sp.facets.Type)
		}
	}
	for range 10 {
		d.key("ctrl+t")
		if sp.facets.Type == "" {
			return
		}
	}
	t.Fatal("ctrl+t never came back to any type")
}

func TestSearchOpensTheAssetOfAViolation(t *testing.T) {
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
