package omni_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/tui/omni"
)

func ids(r omni.Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.Item.ID
	}
	return out
}

func search(ix *omni.Index, text string) omni.Result {
	return ix.Search(context.Background(), omni.Query{Text: text})
}

func smallIndex() *omni.Index { return omni.NewIndex(smallItems()) }

func smallItems() []omni.Item {
	return []omni.Item{
		{ID: "arn:aws:s3:::payments-logs", Title: "payments-logs", Type: "aws.s3.bucket", Account: "111111111111", Region: "eu-west-1", Tags: asset.NewTags(map[string]string{"Owner": "team-pay"})},
		{ID: "arn:aws:rds:us-east-1:111111111111:db:prod-db", Title: "prod-db", Type: "aws.rds.instance", Account: "111111111111", Region: "us-east-1", HasViolations: true},
		{ID: "arn:aws:ec2:us-east-1:222222222222:instance/i-0a1b2c", Title: "web-1", Type: "aws.ec2.instance", Account: "222222222222", Region: "us-east-1", Tags: asset.NewTags(map[string]string{"env": "prod"})},
		{ID: "arn:aws:ec2:eu-west-1:222222222222:security-group/sg-01", Title: "payments sg", Type: "aws.ec2.security-group", Account: "222222222222", Region: "eu-west-1", HasViolations: true},
	}
}

func TestSubsequenceMatches(t *testing.T) {
	ix := smallIndex()
	r := search(ix, "pymntlgs")
	if got := ids(r); len(got) != 1 || got[0] != "arn:aws:s3:::payments-logs" {
		t.Fatalf("pymntlgs: got %v, want only the payments-logs bucket", got)
	}
	if r := search(ix, "zzq"); r.Total != 0 || len(r.Hits) != 0 {
		t.Fatalf("zzq matched %v", ids(r))
	}
	// Order matters.
	one := omni.NewIndex([]omni.Item{{ID: "x1", Title: "abc"}})
	if r := search(one, "ab"); r.Total != 1 {
		t.Fatalf("ab did not match %q", one.Line(0))
	}
	if r := search(one, "cba"); r.Total != 0 {
		t.Fatalf("out-of-order cba matched %q", one.Line(0))
	}
	// Case-insensitive both ways, and the line keeps its case for display.
	r = search(ix, "OWNER=TEAM")
	if r.Total != 1 {
		t.Fatalf("OWNER=TEAM: total %d, want 1", r.Total)
	}
	if want := "payments-logs arn:aws:s3:::payments-logs aws.s3.bucket 111111111111 eu-west-1 Owner=team-pay"; r.Hits[0].Line != want {
		t.Fatalf("line %q, want %q", r.Hits[0].Line, want)
	}
}

func TestRankingExactAboveScattered(t *testing.T) {
	ix := omni.NewIndex([]omni.Item{
		{ID: "a1", Title: "pxrxoxdx-xdxb", Type: "aws.ec2.instance"},
		{ID: "a2", Title: "prod-db", Type: "aws.ec2.instance"},
		{ID: "a3", Title: "my-product-database", Type: "aws.ec2.instance"},
	})
	r := search(ix, "prod-db")
	if r.Total != 3 {
		t.Fatalf("total %d, want 3 (all contain the letters in order)", r.Total)
	}
	if r.Hits[0].Item.ID != "a2" || r.Hits[2].Item.ID != "a1" {
		t.Fatalf("ranking %v, want a2 first and the scattered a1 last", ids(r))
	}
	if !(r.Hits[0].Score > r.Hits[1].Score && r.Hits[1].Score > r.Hits[2].Score) {
		t.Fatalf("scores not descending: %d %d %d", r.Hits[0].Score, r.Hits[1].Score, r.Hits[2].Score)
	}
	h := r.Hits[0]
	if want := []int{0, 1, 2, 3, 4, 5, 6}; !equalInts(h.Matched, want) {
		t.Fatalf("Matched %v in %q, want %v", h.Matched, h.Line, want)
	}
}

func TestMatchedPositionsAreRunes(t *testing.T) {
	ix := omni.NewIndex([]omni.Item{{ID: "b", Title: "Zürich-Ärzte"}})
	r := search(ix, "zür ärz")
	if r.Total != 1 {
		t.Fatalf("total %d, want 1", r.Total)
	}
	h := r.Hits[0]
	runes := []rune(h.Line)
	var got strings.Builder
	for _, p := range h.Matched {
		got.WriteRune(runes[p])
	}
	if got.String() != "ZürÄrz" {
		t.Fatalf("highlighted %q in %q, want ZürÄrz", got.String(), h.Line)
	}
}

func TestMultiTermAndExclusion(t *testing.T) {
	ix := smallIndex()
	if got := ids(search(ix, "payments security")); len(got) != 1 || !strings.HasSuffix(got[0], "sg-01") {
		t.Fatalf("payments security: %v, want only the security group", got)
	}
	// Each term matches something, but not the same line.
	if r := search(ix, "prod-db owner"); r.Total != 0 {
		t.Fatalf("prod-db owner: %v, want none", ids(r))
	}
	if r := search(ix, "payments"); r.Total != 2 {
		t.Fatalf("payments: total %d, want 2", r.Total)
	}
	if got := ids(search(ix, "payments !logs")); len(got) != 1 || !strings.HasSuffix(got[0], "sg-01") {
		t.Fatalf("payments !logs: %v", got)
	}
	// Exclusion alone filters everything else; "!" alone is ignored.
	if r := search(ix, "!eu-west"); r.Total != 2 {
		t.Fatalf("!eu-west: total %d, want 2", r.Total)
	}
	if r := search(ix, "!"); r.Total != 4 {
		t.Fatalf("!: total %d, want 4", r.Total)
	}
}

func TestFacets(t *testing.T) {
	ix := omni.NewIndex(append(smallItems(), omni.Item{Kind: omni.KindPolicy, ID: "s3-bucket-public-read", Title: "S3 bucket grants public read", Type: "aws.s3.bucket"}))
	yes, no := true, false
	policy := omni.KindPolicy
	cases := []struct {
		f    omni.Facets
		text string
		want int
	}{
		{omni.Facets{Region: "us-east-1"}, "", 2},
		{omni.Facets{Kind: new(omni.Kind)}, "", 4}, // KindAsset
		{omni.Facets{Account: "222222222222"}, "", 2},
		{omni.Facets{Type: "aws.s3.bucket"}, "pay", 1},
		{omni.Facets{Type: "aws.s3.bucket"}, "prod", 0},
		{omni.Facets{HasViolations: &yes}, "", 2},
		{omni.Facets{HasViolations: &no, Region: "us-east-1"}, "", 1},
		{omni.Facets{Region: "mars-1"}, "", 0},
		{omni.Facets{Kind: &policy}, "", 1},
		{omni.Facets{Kind: &policy}, "i-0a1", 0},
	}
	for _, c := range cases {
		r := ix.Search(context.Background(), omni.Query{Text: c.text, Facets: c.f})
		if r.Total != c.want || len(r.Hits) != c.want {
			t.Errorf("facets %+v text %q: total %d hits %d, want %d", c.f, c.text, r.Total, len(r.Hits), c.want)
		}
		for _, h := range r.Hits {
			if c.f.Region != "" && h.Item.Region != c.f.Region {
				t.Errorf("facets %+v returned %s in %s", c.f, h.Item.ID, h.Item.Region)
			}
		}
	}
	fc := smallIndex().FacetCounts(omni.Query{Text: "payments"})
	if fc["region"]["eu-west-1"] != 2 || fc["type"]["aws.s3.bucket"] != 1 || fc["account"]["111111111111"] != 1 || len(fc["region"]) != 1 {
		t.Fatalf("facet counts %v", fc)
	}
}

func TestEmptyQueryStableAndLimited(t *testing.T) {
	items := synthItems(1, 1000)
	ix := omni.NewIndex(items)
	r := ix.Search(context.Background(), omni.Query{Limit: 50})
	if r.Total != 1000 || len(r.Hits) != 50 {
		t.Fatalf("empty: total %d hits %d, want 1000/50", r.Total, len(r.Hits))
	}
	for i, h := range r.Hits {
		if h.Item != &items[i] {
			t.Fatalf("hit %d is %s, want items in index order", i, h.Item.ID)
		}
	}
	r = ix.Search(context.Background(), omni.Query{Facets: omni.Facets{Region: "eu-west-1"}})
	want := 0
	for _, it := range items {
		if it.Region == "eu-west-1" {
			want++
		}
	}
	if r.Total != want || len(r.Hits) != min(want, omni.DefaultLimit) {
		t.Fatalf("region facet: total %d hits %d, want %d", r.Total, len(r.Hits), want)
	}
}

func TestLinesAreCleaned(t *testing.T) {
	ix := omni.NewIndex(omni.ItemsFromSummaries([]asset.Summary{{
		ID: "arn:aws:s3:::evil", Name: "evil\x1b]52;c;aGk=\x07bucket", Type: "aws.s3.bucket",
		Tags: asset.NewTags(map[string]string{"Note": "a\nb"}),
	}}, map[string]bool{"arn:aws:s3:::evil": true}))
	r := search(ix, "evilbucket")
	if r.Total != 1 {
		t.Fatalf("total %d, want 1", r.Total)
	}
	h := r.Hits[0]
	if strings.ContainsAny(h.Line, "\x1b\x07\n") {
		t.Fatalf("line %q still has control characters", h.Line)
	}
	if !h.Item.HasViolations || h.Item.Kind != omni.KindAsset {
		t.Fatalf("item %+v lost its summary fields", h.Item)
	}
}

func TestCancelledSearchReturnsPartial(t *testing.T) {
	ix := omni.NewIndex(synthItems(2, 100_000))
	full := search(ix, "prod")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := ix.Search(ctx, omni.Query{Text: "prod"})
	if !r.Cancelled {
		t.Fatal("search with a cancelled context did not report Cancelled")
	}
	if full.Cancelled || r.Total >= full.Total {
		t.Fatalf("cancelled search scanned everything: %d of %d", r.Total, full.Total)
	}
	// A cancelled search is not remembered by a session.
	s := omni.NewSession(ix)
	s.Search(ctx, omni.Query{Text: "prod"})
	if got := s.Search(context.Background(), omni.Query{Text: "prod-"}); got.Total != search(ix, "prod-").Total {
		t.Fatalf("session after a cancelled search: total %d", got.Total)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConcurrentSearches runs sessions on one index at once (run with -race).
func TestConcurrentSearches(t *testing.T) {
	ix := omni.NewIndex(synthItems(4, 20_000))
	want := search(ix, "prod-pay eu")
	var wg sync.WaitGroup
	got := make([]int, 4)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := omni.NewSession(ix)
			for _, q := range []string{"p", "pr", "prod", "prod-pay", "prod-pay e", "prod-pay eu"} {
				got[g] = s.Search(context.Background(), omni.Query{Text: q}).Total
			}
		}()
	}
	wg.Wait()
	for g, n := range got {
		if n != want.Total {
			t.Errorf("session %d: total %d, want %d", g, n, want.Total)
		}
	}
}

// TestSessionNonASCII narrows over lines the byte pre-check cannot decide.
func TestSessionNonASCII(t *testing.T) {
	ix := omni.NewIndex([]omni.Item{
		{ID: "a", Title: "Zürich-db"}, {ID: "b", Title: "Zurich-db"}, {ID: "c", Title: "ZÜRICH-cache"},
	})
	s := omni.NewSession(ix)
	for _, c := range []struct {
		q    string
		want int
	}{{"z", 3}, {"zü", 2}, {"zür", 2}, {"zürich-d", 1}, {"zürich-db", 1}} {
		if r := s.Search(context.Background(), omni.Query{Text: c.q}); r.Total != c.want {
			t.Errorf("%q: total %d, want %d", c.q, r.Total, c.want)
		}
	}
}

// Typing an asset's exact name lists that asset before the violations that
// mention it, even when its search line is long with tags.
func TestExactNameBeatsShorterViolationLines(t *testing.T) {
	tags := map[string]string{}
	for _, k := range []string{"Application", "CostCenter", "DataClassification", "Environment", "Owner", "Repository", "Team", "ManagedBy"} {
		tags[k] = "some-longish-value-" + strings.ToLower(k)
	}
	items := []omni.Item{
		{Kind: omni.KindViolation, ID: "v1", Title: "aws.rds.instance payments-api-prod-db is in ap-southeast-2", Type: "aws.rds.instance"},
		{Kind: omni.KindViolation, ID: "v2", Title: "load balancer payments-api-prod accepts TLS 1.0", Type: "aws.elbv2.load-balancer"},
		{ID: "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/payments-api-prod/9a8b", Title: "payments-api-prod",
			Type: "aws.elbv2.load-balancer", Account: "111111111111", Region: "us-west-2", Tags: asset.NewTags(tags)},
	}
	r := search(omni.NewIndex(items), "payments-api-prod")
	if r.Total != 3 {
		t.Fatalf("total %d, want 3", r.Total)
	}
	if got := r.Hits[0].Item.Title; got != "payments-api-prod" || r.Hits[0].Item.Kind != omni.KindAsset {
		t.Fatalf("first hit %q (%v), want the asset named payments-api-prod; order %v", got, r.Hits[0].Item.Kind, ids(r))
	}
}

// Among assets whose names start with the query, the one named exactly so
// comes first.
func TestExactNameFirstAmongPrefixes(t *testing.T) {
	items := []omni.Item{
		{ID: "arn:aws:ec2:us-east-1:111111111111:instance/i-08e7d59f12cf62571", Title: "payments-api-prod-9", Type: "aws.ec2.instance", Account: "111111111111", Region: "us-east-1"},
		{ID: "arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer/net/payments-api-prod/9a8b", Title: "payments-api-prod", Type: "aws.elbv2.load-balancer", Account: "111111111111", Region: "us-west-2"},
		{ID: "arn:aws:rds:ap-southeast-2:111111111111:db:payments-api-prod-db", Title: "payments-api-prod-db", Type: "aws.rds.instance", Account: "111111111111", Region: "ap-southeast-2"},
	}
	for _, q := range []string{"payments-api-prod", "Payments-API-Prod"} {
		r := search(omni.NewIndex(items), q)
		if r.Total != 3 || r.Hits[0].Item.Title != "payments-api-prod" {
			t.Fatalf("%s: order %v, want the load balancer named payments-api-prod first", q, ids(r))
		}
	}
}
