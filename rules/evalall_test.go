package rules

import (
	"fmt"
	"testing"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
)

// TestEvaluateAllClosesGapsOfScopedPolicies checks that the full evaluation,
// which reserves room for every enabled policy of every asset, returns
// exactly the sequential results when scopes skip some of them, across
// many chunks and workers.
func TestEvaluateAllClosesGapsOfScopedPolicies(t *testing.T) {
	scoped := pol("scoped", asset.TypeEC2Instance, `resource.n % 3 == 0`)
	scoped.Group = "prod"
	plain := pol("plain", asset.TypeEC2Instance, `resource.n % 2 == 0`)
	vols := pol("vols", asset.TypeVolume, `resource.encrypted`)
	off := pol("off", asset.TypeEC2Instance, "true")
	e := engine(t, Config{
		Disabled: map[string]bool{"off": true},
		Groups:   []groups.Group{{Name: "prod", Match: map[string][]string{"tags.Environment": {"prod"}}}},
	}, scoped, plain, vols, off)
	var assets []*asset.Asset
	for i := 0; i < 5000; i++ {
		in := ec2(fmt.Sprintf("i-%d", i), map[string]any{"n": int64(i)})
		if i%7 < 2 || (i >= 1024 && i < 1536) { // whole chunks without prod
			in.Tags["Environment"] = "prod"
		}
		assets = append(assets, in)
		if i%4 == 0 {
			assets = append(assets, vol(fmt.Sprintf("vol-%d", i), i%8 == 0))
		}
	}
	var want []Result
	for _, a := range assets {
		want = append(want, e.Evaluate(a, nil)...)
	}
	for _, workers := range []int{1, 3} {
		got := e.EvaluateAll(assets, nil, workers)
		if len(got) != len(want) {
			t.Fatalf("workers=%d: %d results, sequential %d", workers, len(got), len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("workers=%d: result %d = %+v, want %+v", workers, i, got[i], want[i])
			}
		}
	}
	if len(want) == 2*5000 || len(want) <= 5000+1250 {
		t.Fatalf("%d results: the scope does not skip part of the fleet", len(want))
	}
}
