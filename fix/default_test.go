package fix

import (
	"encoding/json"
	"testing"

	"github.com/vigil-sec/vigil/rules"
)

// Every fix the built-in pack names must exist, or the console offers a fix
// that fails.
func TestDefaultHasEveryBuiltinFix(t *testing.T) {
	reg := Default()
	ps, errs := rules.LoadDir(rules.BuiltinFS(), ".")
	if len(errs) > 0 {
		t.Fatalf("load built-in policies: %v", errs)
	}
	named := 0
	for _, p := range ps {
		if p.Fix == "" {
			continue
		}
		named++
		if _, ok := reg.Get(p.Fix); !ok {
			t.Errorf("policy %s names fix %q, which Default does not have", p.ID, p.Fix)
		}
	}
	if named == 0 {
		t.Fatal("no built-in policy names a fix")
	}
	if got := len(reg.IDs()); got != 19 {
		t.Errorf("Default has %d actions, want 19: %v", got, reg.IDs())
	}
	for _, id := range reg.IDs() {
		a, _ := reg.Get(id)
		if a.Describe() == "" {
			t.Errorf("%s has no description", id)
		}
	}
}

func TestOffendingRules(t *testing.T) {
	p := func(n int32) *int32 { return &n }
	ports := []int64{22, 3389, 5432}
	cases := []struct {
		name string
		r    sgRule
		want bool
	}{
		{"ssh", sgRule{Protocol: "tcp", FromPort: p(22), ToPort: p(22)}, true},
		{"range covering rdp", sgRule{Protocol: "tcp", FromPort: p(3000), ToPort: p(4000)}, true},
		{"all protocols", sgRule{Protocol: "-1"}, true},
		{"all udp ports", sgRule{Protocol: "udp", FromPort: p(0), ToPort: p(65535)}, true},
		{"https", sgRule{Protocol: "tcp", FromPort: p(443), ToPort: p(443)}, false},
		{"udp 22", sgRule{Protocol: "udp", FromPort: p(22), ToPort: p(22)}, false},
		{"icmp", sgRule{Protocol: "icmp", FromPort: p(-1), ToPort: p(-1)}, false},
	}
	for _, c := range cases {
		if got := offending(c.r, ports); got != c.want {
			t.Errorf("%s: offending = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestPasswordTargetNeverWeakens(t *testing.T) {
	strict := passwordState{Policy: passwordPolicy{Present: true, MinimumLength: 20, MaxAgeDays: 30, ReusePrevention: 24, HardExpiry: true}}
	got := strict.target(nil)
	if got.MinimumLength != 20 || got.MaxAgeDays != 30 || !got.HardExpiry || got.ReusePrevention != 24 {
		t.Errorf("target of a stricter policy = %+v, want its length, age and hard expiry kept", got)
	}
	got = passwordState{}.target(map[string]any{"min_length": 16})
	if got.MinimumLength != 16 || got.MaxAgeDays != 90 || !got.RequireSymbols || !got.AllowUsersToChange {
		t.Errorf("target with min_length 16 = %+v", got)
	}
}

// A plan that went through JSON (the console, the store) must not look
// like drift.
func TestDiffAfterJSONRoundTrip(t *testing.T) {
	live := normalize(sgState{GroupID: "sg-1", Rules: []sgRule{{Protocol: "-1", CIDR: "0.0.0.0/0"}}})
	b, err := json.Marshal(&Plan{Before: live})
	if err != nil {
		t.Fatal(err)
	}
	var p Plan
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	if d := diff(normalize(p.Before), live); d != "" {
		t.Errorf("diff after a round trip = %q, want none", d)
	}
	changed := normalize(sgState{GroupID: "sg-1", Rules: []sgRule{}})
	if d := diff(live, changed); d == "" {
		t.Error("diff missed a revoked rule")
	}
}
