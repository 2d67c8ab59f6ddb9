package rules_test

import (
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/rules"
)

// TestPackResultsMatchReference runs the whole built-in pack over a 20k
// demo fleet and checks every result (pass, message, error or not) against
// the plain evaluation, so the engine's shortcuts change nothing.
func TestPackResultsMatchReference(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	ps, errs := rules.LoadDir(rules.BuiltinFS(), ".")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	e, errs := rules.NewEngine(ps, rules.Config{Now: func() time.Time { return now }})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	vals := demo.Assets(1, 20000, now)
	fleet := make([]*asset.Asset, len(vals))
	for i := range vals {
		fleet[i] = &vals[i]
	}
	ix := rules.NewIndex(fleet)
	got := e.EvaluateAll(fleet, ix, 0)
	var want []rules.Result
	for _, a := range fleet {
		want = append(want, rules.ReferenceEvaluate(e, a, rules.PlainResolver(ix), now)...)
	}
	if len(got) != len(want) {
		t.Fatalf("engine gave %d results, reference %d", len(got), len(want))
	}
	fails, bad := 0, 0
	for i := range want {
		g, w := got[i], want[i]
		if g.PolicyID != w.PolicyID || g.AssetID != w.AssetID || g.Pass != w.Pass || g.Message != w.Message || (g.Err == nil) != (w.Err == nil) {
			bad++
			if bad <= 5 {
				t.Errorf("result %d differs:\n got %+v\nwant %+v", i, g, w)
			}
		}
		if !w.Pass {
			fails++
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d results differ", bad, len(want))
	}
	if fails == 0 || fails == len(want) {
		t.Fatalf("%d failures of %d results: the fleet does not exercise both outcomes", fails, len(want))
	}
}
