package cycle

import (
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

func TestSortByID(t *testing.T) {
	ids := func(s []asset.Summary) []string {
		var out []string
		for _, x := range s {
			out = append(out, x.ID)
		}
		return out
	}
	sums := func(ids ...string) []asset.Summary {
		var out []asset.Summary
		for _, id := range ids {
			out = append(out, asset.Summary{ID: id})
		}
		return out
	}
	cases := [][]string{
		nil,
		{"a"},
		{"a", "b", "c"},
		// store order: units whose ranges do not overlap
		{"arn:aws:s3:::b1", "arn:aws:s3:::b2", "arn:aws:ec2:x:1:sg/a", "arn:aws:ec2:x:1:sg/b", "arn:aws:ec2:w:1:vol/z"},
		// overlapping runs need the full sort
		{"b", "d", "f", "a", "c", "e", "a2"},
	}
	for _, c := range cases {
		got := ids(sortByID(sums(c...)))
		want := slices.Clone(c)
		slices.Sort(want)
		if len(want) == 0 {
			want = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("sortByID(%v) = %v, want %v", c, got, want)
		}
	}
	r := rand.New(rand.NewSource(1))
	var many []string
	for i := 0; i < 500; i++ {
		many = append(many, string(rune('a'+r.Intn(26)))+string(rune('a'+r.Intn(26))))
	}
	got := ids(sortByID(sums(many...)))
	want := slices.Clone(many)
	slices.Sort(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("500 random IDs: sortByID =\n%v\nwant\n%v", got, want)
	}
}

// The backend's scores (sorted members, binary search) equal the cycle's
// own scoreGroup for the whole estate, a region and a group whose
// members miss some violations, and an orphan violation is left out.
func TestBackendScoresMatchScoreGroup(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	src := unitSource(demo.Assets(5, 3000, now))
	mustRun(t, c, src)
	orphan := rules.Violation{ID: "orphan", PolicyID: "s3-bucket-public-read", AssetID: "arn:aws:s3:::gone",
		Severity: "critical", Status: rules.StatusOpen}
	if err := c.Store.PutViolations([]rules.Violation{orphan}); err != nil {
		t.Fatal(err)
	}
	b := NewBackend(c, nil, TestActor("test"), true)
	sums, err := b.summaries()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSortedFunc(sums, func(x, y asset.Summary) int { return strings.Compare(x.ID, y.ID) }) {
		t.Fatal("the backend's summaries are not in ID order")
	}
	gs, _, err := b.groupDefs()
	if err != nil {
		t.Fatal(err)
	}
	ps, _, err := c.Policies()
	if err != nil {
		t.Fatal(err)
	}
	vs, err := b.liveViolations()
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, g := range gs {
		if g.Name != groups.All && !strings.HasPrefix(g.Name, "region:") {
			continue
		}
		got, err := b.Scores(g.Name, rules.DefaultDomain)
		if err != nil {
			t.Fatal(err)
		}
		want := c.scoreGroup(ps, g.Name, rules.DefaultDomain, members(g, sums, b.doc), vs, nil)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("group %s: backend scores %+v, want %+v", g.Name, got, want)
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("checked %d groups; the demo estate should have several regions", checked)
	}
}
