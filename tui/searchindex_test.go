package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
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
