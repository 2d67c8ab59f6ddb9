package groups

import (
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func instance() *asset.Asset {
	return &asset.Asset{
		ID: "arn:aws:ec2:us-east-1:111111111111:instance/i-1", Type: asset.TypeEC2Instance,
		Name: "web", Account: "111111111111", Region: "us-east-1",
		Tags: map[string]string{"Environment": "prod", "Owner": "ana"},
		Attrs: map[string]any{
			"imds":               map[string]any{"http_tokens": "optional", "hop_limit": int64(1)},
			"security_group_ids": []any{"sg-1", "sg-2"},
			"public_ip":          "",
		},
	}
}

func mustCompile(t *testing.T, g Group) *Matcher {
	t.Helper()
	m, err := Compile(g)
	if err != nil {
		t.Fatalf("Compile(%+v): %v", g, err)
	}
	return m
}

func TestMatchCriteria(t *testing.T) {
	doc := instance().Doc()
	cases := []struct {
		name string
		g    Group
		want bool
	}{
		{"empty group matches all", Group{Name: "x"}, true},
		{"type in list", Group{Name: "x", Types: []string{asset.TypeS3Bucket, asset.TypeEC2Instance}}, true},
		{"type not in list", Group{Name: "x", Types: []string{asset.TypeS3Bucket}}, false},
		{"tag value", Group{Name: "x", Match: map[string][]string{"tags.Environment": {"prod"}}}, true},
		{"tag OR values", Group{Name: "x", Match: map[string][]string{"tags.Environment": {"dev", "prod"}}}, true},
		{"tag wrong value", Group{Name: "x", Match: map[string][]string{"tags.Environment": {"dev"}}}, false},
		{"missing tag", Group{Name: "x", Match: map[string][]string{"tags.CostCenter": {"1"}}}, false},
		{"AND across paths", Group{Name: "x", Match: map[string][]string{"tags.Environment": {"prod"}, "region": {"eu-west-1"}}}, false},
		{"AND across paths both true", Group{Name: "x", Match: map[string][]string{"tags.Environment": {"prod"}, "region": {"us-east-1"}}}, true},
		{"nested path", Group{Name: "x", Match: map[string][]string{"imds.http_tokens": {"optional"}}}, true},
		{"nested int as string", Group{Name: "x", Match: map[string][]string{"imds.hop_limit": {"1"}}}, true},
		{"list any element", Group{Name: "x", Match: map[string][]string{"security_group_ids": {"sg-2"}}}, true},
		{"list no element", Group{Name: "x", Match: map[string][]string{"security_group_ids": {"sg-9"}}}, false},
		{"expr true", Group{Name: "x", Expr: `resource.imds.hop_limit < 2.5 && resource.name.startsWith("we")`}, true},
		{"expr false", Group{Name: "x", Expr: `resource.public_ip != ""`}, false},
		{"expr runtime error is no match", Group{Name: "x", Expr: `resource.nope.deeper == 1`}, false},
		{"criteria and expr", Group{Name: "x", Types: []string{asset.TypeEC2Instance}, Expr: `"Owner" in resource.tags`}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := mustCompile(t, c.g).Match(doc); got != c.want {
				t.Errorf("Match = %v, want %v", got, c.want)
			}
		})
	}
}

func TestMatchSummary(t *testing.T) {
	a := instance()
	s := a.Summary()
	cases := []struct {
		name           string
		g              Group
		match, needDoc bool
	}{
		{"account decided", Group{Name: "x", Match: map[string][]string{"account": {"111111111111"}}}, true, false},
		{"other account decided", Group{Name: "x", Match: map[string][]string{"account": {"222222222222"}}}, false, false},
		{"tag decided", Group{Name: "x", Match: map[string][]string{"tags.Owner": {"ana"}}}, true, false},
		{"type excludes before attrs", Group{Name: "x", Types: []string{asset.TypeVolume}, Match: map[string][]string{"imds.http_tokens": {"optional"}}}, false, false},
		{"attribute needs doc", Group{Name: "x", Match: map[string][]string{"imds.http_tokens": {"optional"}}}, false, true},
		{"failing summary criterion wins over attrs", Group{Name: "x", Match: map[string][]string{"region": {"eu-west-1"}, "imds.http_tokens": {"optional"}}}, false, false},
		{"expr needs doc", Group{Name: "x", Expr: "true"}, false, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := mustCompile(t, c.g)
			match, need := m.MatchSummary(&s)
			if match != c.match || need != c.needDoc {
				t.Errorf("MatchSummary = (%v, %v), want (%v, %v)", match, need, c.match, c.needDoc)
			}
			if !need && match != m.Match(a.Doc()) {
				t.Errorf("summary answer %v disagrees with Match on the document", match)
			}
		})
	}
}

func TestValidateErrors(t *testing.T) {
	cases := []struct {
		g    Group
		want string
	}{
		{Group{}, "missing name"},
		{Group{Name: "bad name"}, "name may hold"},
		{Group{Name: "x", Match: map[string][]string{"tags..Owner": {"a"}}}, "not a dotted document path"},
		{Group{Name: "x", Match: map[string][]string{"region": {}}}, "lists no values"},
		{Group{Name: "x", Expr: "resource.name +"}, "expr"},
		{Group{Name: "x", Expr: "resource.name"}, ""}, // dyn: allowed, false at runtime unless bool
		{Group{Name: "x", Expr: `"a" + "b"`}, "must be a bool"},
	}
	for _, c := range cases {
		err := Validate(c.g)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", c.g, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Validate(%+v) = %v, want error containing %q", c.g, err, c.want)
		}
	}
}

func TestBuiltins(t *testing.T) {
	gs := Builtins([]string{"222222222222", "111111111111", "111111111111"}, []string{"us-east-1"})
	var names []string
	for _, g := range gs {
		names = append(names, g.Name)
		if !g.Builtin || g.Source != "builtin" {
			t.Errorf("%s: not marked builtin", g.Name)
		}
	}
	want := "all account:111111111111 account:222222222222 region:us-east-1"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("names = %q, want %q", got, want)
	}
	doc := instance().Doc()
	for _, g := range gs {
		want := g.Name != "account:222222222222"
		if got := mustCompile(t, g).Match(doc); got != want {
			t.Errorf("%s.Match = %v, want %v", g.Name, got, want)
		}
	}
	if g, ok := Find(gs, "region:us-east-1"); !ok || g.Match["region"][0] != "us-east-1" {
		t.Errorf("Find(region:us-east-1) = %+v, %v", g, ok)
	}
}

func TestDescribe(t *testing.T) {
	g := Group{Types: []string{"aws.s3.bucket"}, Match: map[string][]string{"tags.Env": {"prod", "staging"}, "account": {"1"}}, Expr: "true"}
	if got, want := Describe(g), "type=aws.s3.bucket account=1 tags.Env=prod|staging expr: true"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	if Describe(Group{}) != "every asset" {
		t.Error("an empty group should read as every asset")
	}
}
