package omni_test

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/tui/omni"
)

// TestSessionSameAsFreshSearch types, deletes and retypes queries through a
// Session and checks every keystroke's result equals a fresh Index.Search.
func TestSessionSameAsFreshSearch(t *testing.T) {
	ix := omni.NewIndex(synthItems(3, 30_000))
	s := omni.NewSession(ix)
	yes := true
	var steps []omni.Query
	typeIn := func(text string, f omni.Facets) {
		for i := 1; i <= len(text); i++ {
			steps = append(steps, omni.Query{Text: text[:i], Facets: f, Limit: 20})
		}
	}
	typeIn("prod-pay", omni.Facets{})
	typeIn("prod-pa", omni.Facets{}) // backspace
	typeIn("prod-pay eu !led", omni.Facets{})
	typeIn("prod-pay eu !led", omni.Facets{Region: "eu-west-1"})
	typeIn("prod-pay eu !led", omni.Facets{Region: "eu-west-1", HasViolations: &yes})
	typeIn("arn:aws:ec2:eu-west-1:111111111111:thing prod", omni.Facets{}) // scores beyond int32
	typeIn("auth", omni.Facets{})
	typeIn("au", omni.Facets{})
	for _, q := range steps {
		got := s.Search(context.Background(), q)
		want := ix.Search(context.Background(), q)
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Fatalf("%q %+v: session total %d hits %d, fresh %d %d", q.Text, q.Facets, got.Total, len(got.Hits), want.Total, len(want.Hits))
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.Item != w.Item || g.Score != w.Score {
				t.Fatalf("%q hit %d: session %s (%d), fresh %s (%d)", q.Text, i, g.Item.ID, g.Score, w.Item.ID, w.Score)
			}
		}
		if fc, wfc := s.FacetCounts(q), ix.FacetCounts(q); !equalCounts(fc, wfc) {
			t.Fatalf("%q: session facet counts %v, fresh %v", q.Text, fc, wfc)
		}
	}
	if r := s.Search(context.Background(), omni.Query{Text: "prod-pay"}); r.Total == 0 || r.Total == ix.Len() {
		t.Fatalf("prod-pay matched %d of %d: the fixture does not test narrowing", r.Total, ix.Len())
	}
}

func equalCounts(a, b map[string]map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, m := range a {
		if len(m) != len(b[k]) {
			return false
		}
		for v, n := range m {
			if b[k][v] != n {
				return false
			}
		}
	}
	return true
}
