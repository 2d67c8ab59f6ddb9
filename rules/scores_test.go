package rules

import (
	"testing"
	"time"
)

func scorePol(id, sev, cat string) *Policy {
	return &Policy{ID: id, Name: id, Severity: sev, Category: cat, Domain: DefaultDomain}
}

func viols(policyID string, open, exempt, closed int) []Violation {
	var out []Violation
	add := func(n int, status string) {
		for i := 0; i < n; i++ {
			out = append(out, Violation{PolicyID: policyID, Status: status})
		}
	}
	add(open, StatusOpen)
	add(exempt, StatusExempt)
	add(closed, StatusClosed)
	return out
}

// Hand-computed example:
//
//	s3-public   critical security  evaluated 10, open 3 (+1 exempt, +2 closed) -> floor(700/10)  = 70
//	sg-ssh      high     security  evaluated 7,  open 1                     -> floor(600/7)   = 85
//	imds        medium   security  evaluated 0                              -> 100, not weighed
//	trail       medium   governance evaluated 3, open 2                     -> floor(100/3)   = 33
//	tags        low      tagging   evaluated 9,  open 9                     -> 0
//	off         critical security  disabled                                 -> left out
//	plugin      high     security  domain "vuln"                            -> left out
//
//	security   = floor((10*70 + 5*85) / 15) = floor(1125/15) = 75
//	governance = 33; tagging = 0; cost has no policies -> left out
//	overall    = floor((50*75 + 20*33 + 10*0) / 80) = floor(4410/80) = 55
func TestComputeScoresHandExample(t *testing.T) {
	off := scorePol("off", SeverityCritical, CategorySecurity)
	off.Disabled = true
	plugin := scorePol("plugin", SeverityHigh, CategorySecurity)
	plugin.Domain = "vuln"
	in := ScoreInput{
		Group: "all",
		Policies: []*Policy{
			scorePol("s3-public", SeverityCritical, CategorySecurity),
			scorePol("sg-ssh", SeverityHigh, CategorySecurity),
			scorePol("imds", SeverityMedium, CategorySecurity),
			scorePol("trail", SeverityMedium, CategoryGovernance),
			scorePol("tags", SeverityLow, CategoryTagging),
			off, plugin,
		},
		Evaluated: map[string]int{"s3-public": 10, "sg-ssh": 7, "trail": 3, "tags": 9, "off": 5, "plugin": 4},
	}
	in.Violations = append(in.Violations, viols("s3-public", 3, 1, 2)...)
	in.Violations = append(in.Violations, viols("sg-ssh", 1, 0, 0)...)
	in.Violations = append(in.Violations, viols("trail", 2, 0, 0)...)
	in.Violations = append(in.Violations, viols("tags", 9, 0, 0)...)
	in.Violations = append(in.Violations, viols("off", 5, 0, 0)...)
	s := ComputeScores(in)

	wantPolicies := map[string]int{"s3-public": 70, "sg-ssh": 85, "imds": 100, "trail": 33, "tags": 0}
	if len(s.Policies) != len(wantPolicies) {
		t.Fatalf("policies = %+v", s.Policies)
	}
	for _, p := range s.Policies {
		if p.Compliance != wantPolicies[p.PolicyID] {
			t.Errorf("%s: %d%%, want %d%%", p.PolicyID, p.Compliance, wantPolicies[p.PolicyID])
		}
	}
	if p := s.Policies[1]; p.PolicyID != "s3-public" || p.Open != 3 || p.Exempt != 1 || p.Evaluated != 10 {
		t.Errorf("s3-public score = %+v", p)
	}
	wantCats := map[string]int{CategorySecurity: 75, CategoryGovernance: 33, CategoryTagging: 0}
	if len(s.Categories) != len(wantCats) {
		t.Errorf("categories = %v, want %v", s.Categories, wantCats)
	}
	for c, w := range wantCats {
		if s.Categories[c] != w {
			t.Errorf("%s = %d, want %d", c, s.Categories[c], w)
		}
	}
	if s.Overall != 55 || s.Domain != DefaultDomain || s.Group != "all" {
		t.Errorf("overall = %d (domain %q group %q), want 55", s.Overall, s.Domain, s.Group)
	}

	// Configured weights: tagging counts as much as security.
	in.Weights = map[string]int{CategoryTagging: 50}
	// floor((50*75 + 20*33 + 50*0) / 120) = floor(4410/120) = 36
	if got := ComputeScores(in).Overall; got != 36 {
		t.Errorf("overall with tagging weight 50 = %d, want 36", got)
	}

	// The plugin domain is scored on its own: floor((4-0)*100/4) = 100.
	in.Domain = "vuln"
	vs := ComputeScores(in)
	if len(vs.Policies) != 1 || vs.Overall != 100 || vs.Categories[CategorySecurity] != 100 {
		t.Errorf("vuln domain = %+v", vs)
	}
}

func TestPolicyCompliance(t *testing.T) {
	cases := []struct{ eval, open, want int }{{0, 0, 100}, {3, 0, 100}, {3, 1, 66}, {3, 3, 0}, {1, 2, 0}, {200, 1, 99}}
	for _, c := range cases {
		if got := PolicyCompliance(c.eval, c.open); got != c.want {
			t.Errorf("PolicyCompliance(%d, %d) = %d, want %d", c.eval, c.open, got, c.want)
		}
	}
}

func TestNothingEvaluatedIsFullyCompliant(t *testing.T) {
	s := ComputeScores(ScoreInput{Group: "g", Policies: []*Policy{scorePol("a", SeverityHigh, CategorySecurity)}})
	if s.Overall != 100 || len(s.Categories) != 0 || s.Policies[0].Compliance != 100 {
		t.Errorf("scores = %+v", s)
	}
}

func TestTrendPointFrom(t *testing.T) {
	s := Scores{Group: "all", Domain: "cloud", Overall: 55, Categories: map[string]int{"security": 75},
		Policies: []PolicyScore{{PolicyID: "a", Compliance: 70, Open: 3}, {PolicyID: "b", Compliance: 85, Open: 1}}}
	day := time.Date(2026, 11, 25, 23, 30, 0, 0, time.FixedZone("x", -3600))
	tp := TrendPointFrom(s, day, 42)
	if tp.Day != "2026-11-26" || tp.Overall != 55 || tp.Open != 4 || tp.Assets != 42 ||
		tp.Policies["b"] != 85 || tp.Categories["security"] != 75 || tp.Group != "all" || tp.Domain != "cloud" {
		t.Errorf("trend point = %+v", tp)
	}
	s.Categories["security"] = 1
	if tp.Categories["security"] != 75 {
		t.Error("trend point shares its categories map with the scores")
	}
}
