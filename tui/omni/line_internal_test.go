package omni

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
)

// inWord finds the first space-delimited word that holds the term's
// letters in order, as checking every word on its own does.
func TestInWordFindsFirstWord(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcde -="[rng.IntN(8)]
		}
		return string(b)
	}
	found := 0
	for range 20000 {
		s, term := word(rng.IntN(30)), strings.ReplaceAll(word(1+rng.IntN(4)), " ", "a")
		wantS, wantE, at := -1, -1, 0
		for _, w := range strings.Split(s, " ") {
			if isSubsequence(term, w) {
				wantS, wantE = at, at+len(w)
				break
			}
			at += len(w) + 1
		}
		gs, ge := inWord(s, term)
		if gs != wantS || (gs >= 0 && ge != wantE) {
			t.Fatalf("inWord(%q, %q) = %d,%d, want %d,%d", s, term, gs, ge, wantS, wantE)
		}
		if gs >= 0 {
			found++
		}
	}
	if found < 1000 {
		t.Fatalf("only %d cases matched", found)
	}
}

// A line made from its own part and its shared pieces, case bits included,
// is the original line, wherever the parts sit in their words.
func TestFullLineFromParts(t *testing.T) {
	var sums []asset.Summary
	for i := range 200 {
		name := strings.Repeat("Ab", i%70) + "X"
		tags := asset.TagsOf(asset.TagPair{Key: "Owner", Value: "SRE-Team" + strings.Repeat("Q", i%5)}, asset.TagPair{Key: "Name", Value: name},
			asset.TagPair{Key: "CostCenter", Value: strings.Repeat("cC", i%40)})
		sums = append(sums, asset.Summary{ID: "arn:aws:ec2:eu-west-1:1:instance/i-0ABC" + strings.Repeat("z", i%3), Name: name, Type: "aws.ec2.Instance", Tags: tags})
	}
	ix := NewAssetIndex(sums, nil, nil)
	if len(ix.pieces) == 0 || len(ix.pOff) >= 4*len(sums) {
		t.Fatalf("%d distinct pieces in %d bytes for %d lines", len(ix.pOff), len(ix.pieces), len(sums))
	}
	for i := range sums {
		it := itemOf(&sums[i], false)
		if got, want := ix.Line(i), string(appendLine(nil, &it)); got != want {
			t.Fatalf("Line(%d) %q, want %q", i, got, want)
		}
	}
}

// Typed keystroke by keystroke through a Session, an index whose lines are
// cut into shared pieces finds, ranks, shows and highlights exactly as one
// that holds every line whole.
func TestPiecesSearchLikeWholeLines(t *testing.T) {
	as := demo.Assets(3, 4000, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC))
	sums := make([]asset.Summary, len(as))
	viol := map[string]bool{}
	var more ItemSlice
	for i := range as {
		sums[i] = as[i].Summary()
		if i%5 == 0 {
			viol[as[i].ID] = true
			more = append(more, Item{Kind: KindViolation, ID: fmt.Sprintf("%032x", i), Title: sums[i].Type + " " + sums[i].Name + " is public",
				AssetID: sums[i].ID, Type: sums[i].Type, Account: sums[i].Account, Region: sums[i].Region, HasViolations: true,
				Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: "public-" + sums[i].Type}, asset.TagPair{Key: "asset", Value: sums[i].Name},
					asset.TagPair{Key: "severity", Value: []string{"low", "high"}[i%2]})})
		}
	}
	// Lines that are not plain: non-ASCII text and tags, escapes to clean,
	// an empty tag key (no space before its "=v": not cut).
	more = append(more,
		Item{Kind: KindPolicy, ID: "zürich-ärzte", Title: "Zürich Ärzte Prod", Type: "aws.s3.bucket", Tags: asset.TagsOf(asset.TagPair{Key: "Owner", Value: "Jürgen"}, asset.TagPair{Key: "Team", Value: "Prod"})},
		Item{Kind: KindPolicy, ID: "esc-prod", Title: "esc\x1b[31mProd", Type: "aws.ec2.instance", Tags: asset.TagsOf(asset.TagPair{Key: "Note", Value: "a\tb\x1b]0;Prod\x07c"}, asset.TagPair{Key: "Env", Value: "prod"})},
		Item{Kind: KindPolicy, ID: "nokey-prod", Title: "No key", Region: "eu-west-1", Tags: asset.TagsOf(asset.TagPair{Key: "", Value: "prod"}, asset.TagPair{Key: "Env", Value: "Prod"})},
		Item{Kind: KindPolicy, ID: "財務部-prod", Type: "aws.s3.bucket", Tags: asset.TagsOf(asset.TagPair{Key: "部署", Value: "本番Prod"})},
	)
	whole, cut := newIndex(sums, viol, more, false), newIndex(sums, viol, more, true)
	if len(cut.pieces) == 0 || len(cut.lower) >= len(whole.lower)/2 {
		t.Fatalf("own text %d bytes and %d in pieces, whole %d", len(cut.lower), len(cut.pieces), len(whole.lower))
	}
	yes := true
	queries := []Query{{Text: "team=plat"}, {Text: "environment=prod !owner=sre"}, {Text: "costcenter=cc-12 eu"},
		{Text: "public high"}, {Text: "policy=public-aws.s3"}, {Text: "prod !staging", Facets: Facets{HasViolations: &yes}},
		{Text: "111111111111 eu-west-1 rds"}, {Text: "jürgen prod"}, {Text: "ärzte"}, {Text: "本番prod"}, {Text: "=prod env"}, {Text: "note=a b prod !jürgen"}}
	for _, q := range benchQueriesInternal {
		queries = append(queries, Query{Text: q})
	}
	for _, q := range queries {
		ws, cs := NewSession(whole), NewSession(cut)
		ws.Search(context.Background(), Query{Facets: q.Facets})
		cs.Search(context.Background(), Query{Facets: q.Facets})
		for i := 1; i <= len(q.Text); i++ {
			query := Query{Text: q.Text[:i], Facets: q.Facets, Limit: 60}
			w, c := ws.Search(context.Background(), query), cs.Search(context.Background(), query)
			// Cut lines know their fields, so they rank differently;
			// they match the same lines.
			if c.Total != w.Total || len(c.Hits) != len(w.Hits) {
				t.Fatalf("%q: total %d hits %d, want %d %d", query.Text, c.Total, len(c.Hits), w.Total, len(w.Hits))
			}
			for _, ch := range c.Hits {
				if ch.Line != cut.Line(indexOf(cut, ch.Item.ID)) {
					t.Fatalf("%q: hit %s has line %q", query.Text, ch.Item.ID, ch.Line)
				}
			}
			if !reflect.DeepEqual(cut.FacetCounts(query), whole.FacetCounts(query)) {
				t.Fatalf("%q: facet counts differ", query.Text)
			}
		}
	}
	for q, id := range map[string]string{"jürgen prod": "zürich-ärzte", "本番prod": "財務部-prod", "=prod env": "nokey-prod", "note=a b prod": "esc-prod"} {
		if r := cut.Search(context.Background(), Query{Text: q}); r.Total == 0 || r.Hits[0].Item.ID != id {
			t.Errorf("%q: %d hits, want %s first", q, r.Total, id)
		}
	}
	for i := range whole.Len() {
		if cut.Line(i) != whole.Line(i) {
			t.Fatalf("Line(%d) %q, want %q", i, cut.Line(i), whole.Line(i))
		}
	}
}

func indexOf(ix *Index, id string) int {
	for i := range ix.Len() {
		if ix.item(i).ID == id {
			return i
		}
	}
	return -1
}

// benchQueriesInternal are the benchmarks' typed queries (bench_test.go).
var benchQueriesInternal = []string{"prod-db", "payments sg", "i-0a1", "eu-west-1 unencrypted", "checkout staging !dev",
	"arn:aws:s3", "snap-0e0", "cve-2024", "owner=sre", "lambda resize"}
