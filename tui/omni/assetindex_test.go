package omni_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/asset"
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
	want, got := omni.NewIndex(items), omni.NewAssetIndex(sums, viol, omni.ItemSlice(more))
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

// Typed keystroke by keystroke (the console's path, where the tag part of
// an asset's line is made again for each check), an index built from
// summaries gives the same hits, scores, lines and highlights as one that
// holds every line whole.
func TestAssetIndexTypingMatchesItemIndex(t *testing.T) {
	sums, viol := demoSummaries(3000)
	want, got := omni.NewIndex(omni.ItemsFromSummaries(sums, viol)), omni.NewAssetIndex(sums, viol, nil)
	queries := append([]string{"team=plat", "environment=prod !owner=sre", "costcenter=cc-12 eu"}, benchQueries...)
	for _, q := range queries {
		ws, gs := omni.NewSession(want), omni.NewSession(got)
		ws.Search(context.Background(), omni.Query{})
		gs.Search(context.Background(), omni.Query{})
		for i := 1; i <= len(q); i++ {
			query := omni.Query{Text: q[:i], Limit: 50}
			w, g := ws.Search(context.Background(), query), gs.Search(context.Background(), query)
			if g.Total != w.Total || len(g.Hits) != len(w.Hits) {
				t.Fatalf("%q: total %d hits %d, want %d %d", q[:i], g.Total, len(g.Hits), w.Total, len(w.Hits))
			}
			for h := range w.Hits {
				wh, gh := w.Hits[h], g.Hits[h]
				if gh.Item.ID != wh.Item.ID || gh.Score != wh.Score || gh.Line != wh.Line || !reflect.DeepEqual(gh.Matched, wh.Matched) {
					t.Fatalf("%q hit %d: %s %d %q, want %s %d %q", q[:i], h, gh.Item.ID, gh.Score, gh.Line, wh.Item.ID, wh.Score, wh.Line)
				}
			}
		}
	}
}

// A tag value finds its asset (the tag part of the line is not held in the
// index but made from the summary), and the hit's line shows the tag.
func TestTagValueFindsAsset(t *testing.T) {
	sums := []asset.Summary{
		{ID: "arn:aws:s3:::ledger-archive", Name: "ledger-archive", Type: "aws.s3.bucket", Account: "111111111111", Region: "eu-west-1",
			Tags: asset.TagsOf(asset.TagPair{Key: "Owner", Value: "Quentin.Ops@example.com"}, asset.TagPair{Key: "CostCenter", Value: "cc-4711"})},
		{ID: "arn:aws:s3:::other", Name: "other", Type: "aws.s3.bucket", Account: "111111111111", Region: "eu-west-1",
			Tags: asset.TagsOf(asset.TagPair{Key: "Owner", Value: "someone@example.com"})},
	}
	ix := omni.NewAssetIndex(sums, nil, nil)
	for _, q := range []string{"quentin", "QUENTIN.OPS", "cc-4711", "costcenter=cc-4711", "ledger owner=quentin"} {
		r := ix.Search(context.Background(), omni.Query{Text: q})
		if r.Total != 1 || r.Hits[0].Item.ID != "arn:aws:s3:::ledger-archive" {
			t.Fatalf("%q: %d hits %v, want only ledger-archive", q, r.Total, r.Hits)
		}
		want := "ledger-archive arn:aws:s3:::ledger-archive aws.s3.bucket 111111111111 eu-west-1 CostCenter=cc-4711 Owner=Quentin.Ops@example.com"
		if r.Hits[0].Line != want {
			t.Fatalf("%q: line %q, want %q", q, r.Hits[0].Line, want)
		}
	}
	if r := ix.Search(context.Background(), omni.Query{Text: "example !quentin"}); r.Total != 1 || r.Hits[0].Item.ID != "arn:aws:s3:::other" {
		t.Fatalf("example !quentin: %d hits, want only other", r.Total)
	}
}
