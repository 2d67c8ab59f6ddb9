package cycle

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

func TestBulkCapIsTheFixMaxRule(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ n, max, want int }{{25, 10, 10}, {3, 10, 3}, {10, 10, 10}, {0, 1, 0}} {
		got, err := BulkCap(c.n, c.max)
		if err != nil || got != c.want {
			t.Errorf("BulkCap(%d, %d) = %d, %v; want %d", c.n, c.max, got, err, c.want)
		}
	}
	if _, err := BulkCap(5, 0); err == nil {
		t.Error("a max of 0 is refused")
	}
}

func TestImpactNeedsTypedConfirm(t *testing.T) {
	t.Parallel()
	mk := func(sev string, n int) []rules.Violation {
		vs := make([]rules.Violation, n)
		for i := range vs {
			vs[i] = rules.Violation{Severity: sev, Status: rules.StatusOpen}
		}
		return vs
	}
	if im := ImpactOf(mk(rules.SeverityHigh, 10)); im.NeedsTypedConfirm() || im.High != 10 {
		t.Errorf("10 high: %+v, typed=%v; want no typing", im, im.NeedsTypedConfirm())
	}
	if im := ImpactOf(mk(rules.SeverityLow, 11)); !im.NeedsTypedConfirm() {
		t.Errorf("11 low needs typing: %+v", im)
	}
	if im := ImpactOf(mk(rules.SeverityCritical, 1)); !im.NeedsTypedConfirm() || im.Critical != 1 {
		t.Errorf("one critical needs typing: %+v", im)
	}
}

func TestExceptionImpactCountsWhatStickyCriteriaCover(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	v := func(id, pol, acct, sev, status string) rules.Violation {
		return rules.Violation{ID: id, PolicyID: pol, AssetID: "a-" + id, AssetType: "aws.s3.bucket",
			Account: acct, Severity: sev, Status: status}
	}
	vs := []rules.Violation{
		v("1", "p", "111", rules.SeverityCritical, rules.StatusOpen),
		v("2", "p", "111", rules.SeverityHigh, rules.StatusOpen),
		v("3", "p", "222", rules.SeverityCritical, rules.StatusOpen), // other account
		v("4", "q", "111", rules.SeverityCritical, rules.StatusOpen), // other policy
		v("5", "p", "111", rules.SeverityLow, rules.StatusExempt),    // already exempt
	}
	e := rules.Exception{Kind: rules.ExceptionSticky, PolicyIDs: []string{"p"},
		Criteria: &groups.Group{Name: "x", Types: []string{"aws.s3.bucket"}, Match: map[string][]string{"account": {"111"}}}}
	im := ExceptionImpact(e, vs, nil, now)
	if im != (Impact{Violations: 2, Critical: 1, High: 1}) {
		t.Fatalf("impact %+v; want 2 violations, 1 critical, 1 high", im)
	}
}
