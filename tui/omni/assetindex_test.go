package omni_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// An index built from summaries (no per-asset items) answers every query
// exactly as one built from the same assets as items.
func TestAssetIndexMatchesItemIndex(t *testing.T) {
	sums, viol := demoSummaries(5000)
	more := append(omni.ItemsFromPolicies([]rules.Policy{{ID: "s3-public", Name: "S3 bucket is public", Resources: []string{"aws.s3.bucket"}, Severity: "high"}}),
		omni.ItemsFromViolations([]rules.Violation{{ID: "v1", Message: "bucket prod-logs is public", AssetType: "aws.s3.bucket", Status: rules.StatusOpen}})...)
	items := append(omni.ItemsFromSummaries(sums, viol), more...)
	want, got := omni.NewIndex(items), omni.NewAssetIndex(sums, viol, more)
	if got.Len() != want.Len() {
		t.Fatalf("Len %d, want %d", got.Len(), want.Len())
	}
	yes, asset := true, omni.KindAsset
	queries := []omni.Query{
		{Text: "prod"}, {Text: "prod-db"}, {Text: "owner=sre !dev"}, {Text: "public"},
		{Text: "", Limit: 50}, {Text: "eu-west-1 unencrypted"}, {Text: "s3", Facets: omni.Facets{HasViolations: &yes}},
		{Text: "bucket", Facets: omni.Facets{Kind: &asset, Region: "eu-west-1"}},
	}
	ws, gs := omni.NewSession(want), omni.NewSession(got)
	for _, q := range queries {
		for name, pair := range map[string][2]omni.Result{
			"index":   {want.Search(context.Background(), q), got.Search(context.Background(), q)},
			"session": {ws.Search(context.Background(), q), gs.Search(context.Background(), q)},
		} {
			w, g := pair[0], pair[1]
			if g.Total != w.Total || len(g.Hits) != len(w.Hits) {
				t.Fatalf("%s %+v: total %d hits %d, want %d %d", name, q, g.Total, len(g.Hits), w.Total, len(w.Hits))
			}
			for i := range w.Hits {
				wh, gh := w.Hits[i], g.Hits[i]
				if *gh.Item != *wh.Item || gh.Score != wh.Score || gh.Line != wh.Line || !reflect.DeepEqual(gh.Matched, wh.Matched) {
					t.Fatalf("%s %+v hit %d: %+v %q, want %+v %q", name, q, i, *gh.Item, gh.Line, *wh.Item, wh.Line)
				}
			}
		}
		if g, w := got.FacetCounts(q), want.FacetCounts(q); !reflect.DeepEqual(g, w) {
			t.Errorf("FacetCounts %+v: %v, want %v", q, g, w)
		}
	}
	if r := got.Search(context.Background(), omni.Query{Text: "prod"}); r.Total == 0 || !hasViolationHit(r) {
		t.Errorf("query prod: %d hits, none marked with violations", r.Total)
	}
}

func hasViolationHit(r omni.Result) bool {
	for _, h := range r.Hits {
		if h.Item.HasViolations && h.Item.Kind == omni.KindAsset {
			return true
		}
	}
	return false
}
