package demo

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// TestEveryBuiltinPolicyFindsSomething evaluates the inventory with the real
// built-in pack: every policy judges some assets, fails some, and passes most.
func TestEveryBuiltinPolicyFindsSomething(t *testing.T) {
	inv := Inventory(testNow)
	policies, errs := rules.LoadAll()
	if len(errs) > 0 {
		t.Fatalf("load policies: %v", errs)
	}
	eng, errs := rules.NewEngine(policies, rules.Config{Now: func() time.Time { return testNow }})
	if len(errs) > 0 {
		t.Fatalf("compile policies: %v", errs)
	}
	ptrs := make([]*asset.Asset, len(inv))
	for i := range inv {
		ptrs[i] = &inv[i]
	}
	failed := map[string]int{}
	for _, r := range eng.EvaluateAll(ptrs, rules.NewIndex(ptrs), 2) {
		if r.Err != nil {
			t.Errorf("%s on %s: %v", r.PolicyID, r.AssetID, r.Err)
			continue
		}
		if !r.Pass {
			failed[r.PolicyID]++
		}
	}
	evaluated := eng.EvaluatedCounts(ptrs)
	ids := make([]string, 0, len(evaluated))
	for _, p := range policies {
		if !slices.ContainsFunc(p.Resources, func(typ string) bool { return !unmodelled[typ] }) {
			continue // the demo has no assets of its types yet
		}
		if unplanted()[p.ID] {
			continue
		}
		ids = append(ids, p.ID)
	}
	sort.Strings(ids)
	for _, id := range ids {
		n, f := evaluated[id], failed[id]
		pct := rules.PolicyCompliance(n, f)
		t.Logf("%-40s %4d evaluated %4d failing %3d%%", id, n, f, pct)
		if n == 0 || f == 0 || (n >= 10 && pct < 55) {
			t.Errorf("%s: %d evaluated, %d failing (%d%% compliant); want some failures and mostly compliant", id, n, f, pct)
		}
	}
}

// unplanted are policies whose failing case the demo does not plant yet:
// every new failure in the demo shifts the random picks of its 90-day
// history, and with them the assets the console tests open by name.
func unplanted() map[string]bool {
	return map[string]bool{"ec2-instance-deprecated-type": true, "lambda-admin-role": true}
}
