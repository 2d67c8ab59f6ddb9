package rules

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

// TestFrozenParamsBehaveAsPlain checks that params and tags, converted once
// per engine or asset, answer every kind of read as the plain CEL values do.
func TestFrozenParamsBehaveAsPlain(t *testing.T) {
	params := map[string]any{
		"tags":   []any{"Owner", "Team"},
		"limits": map[string]any{"days": int64(90), "ports": []any{int64(22), int64(3389)}},
		"rules":  []any{map[string]any{"name": "a", "on": true}},
		"empty":  []any{},
	}
	a := ec2("i-1", map[string]any{"extra": "x"})
	a.Tags = map[string]string{"Owner": "ana", "Team": ""}
	checks := map[string]bool{
		`params.tags == ["Owner", "Team"] && params.tags.size() == 2 && params.tags[1] == "Team"`:                 true,
		`"Owner" in params.tags && !("Nope" in params.tags)`:                                                      true,
		`params.tags + ["X"] == ["Owner", "Team", "X"]`:                                                           true,
		`params.limits.days == 90 && 22 in params.limits.ports && params.limits["days"] > 10`:                     true,
		`has(params.limits.days) && !has(params.limits.nope) && "ports" in params.limits`:                         true,
		`params.rules.exists(r, r.name == "a" && r.on) && params.rules[0] == {"name": "a", "on": true}`:           true,
		`params.limits.exists(k, k == "ports") && params.limits.size() == 2`:                                      true,
		`params.empty.size() == 0 && params.tags.join(",") == "Owner,Team"`:                                       true,
		`params.tags.all(t, t in resource.tags && resource.tags[t] != "")`:                                        false,
		`params.tags.all(t, t in resource.tags) && !("Nope" in resource.tags) && "extra" in resource`:             true,
		`!("nope" in resource) && "tags" in resource && "id" in resource`:                                         true,
		`resource.tags == {"Owner": "ana", "Team": ""} && resource.tags.size() == 2`:                              true,
		`resource.tags.exists(k, k == "Team") && resource.tags["Owner"] == "ana" && resource.tags.Owner == "ana"`: true,
		`resource.tags.filter(k, resource.tags[k] != "") == ["Owner"] && !has(resource.tags.Nope)`:                true,
	}
	for check, want := range checks {
		p := pol("p", asset.TypeEC2Instance, check)
		p.Params = params
		e := engine(t, Config{}, p)
		r := one(t, e, a, nil)
		if r.Err != nil || r.Pass != want {
			t.Errorf("%s: pass=%v err=%v, want pass=%v", check, r.Pass, r.Err, want)
		}
	}
	p := pol("p", asset.TypeEC2Instance, `params.limits.nope == 1`)
	p.Params = params
	if r := one(t, engine(t, Config{}, p), a, nil); r.Err == nil {
		t.Errorf("a missing params key gave no error: %+v", r)
	}
}

// TestDocumentListsBehaveAsPlain checks lists inside `resource`, read in
// place, against what cel-go's own lists answer.
func TestDocumentListsBehaveAsPlain(t *testing.T) {
	a := ec2("i-1", map[string]any{
		"names": []any{"a", "b", "c"},
		"rules": []any{map[string]any{"port": int64(22)}, map[string]any{"port": int64(443)}},
		"empty": []any{},
	})
	checks := map[string]bool{
		`resource.names[1] == "b" && resource.names.size() == 3 && "c" in resource.names && !("z" in resource.names)`:  true,
		`resource.names == ["a", "b", "c"] && resource.names + ["d"] == ["a", "b", "c", "d"]`:                          true,
		`resource.names.join("-") == "a-b-c" && resource.names.map(n, n + "!")[2] == "c!"`:                             true,
		`resource.rules.exists(r, r.port == 22) && resource.rules.all(r, r.port > 0) && resource.rules[1].port == 443`: true,
		`{"port": 22} in resource.rules && resource.rules.filter(r, r.port > 100).size() == 1`:                         true,
		`resource.empty.size() == 0 && !resource.empty.exists(x, true) && resource.empty == []`:                        true,
		`sets.contains(resource.names, ["c", "a"]) && resource.names.exists_one(n, n == "a")`:                          true,
		`resource.names.sort() == resource.names && resource.names.slice(1, 3) == ["b", "c"]`:                          true,
	}
	for check, want := range checks {
		r := one(t, engine(t, Config{}, pol("p", asset.TypeEC2Instance, check)), a, nil)
		if r.Err != nil || r.Pass != want {
			t.Errorf("%s: pass=%v err=%v, want pass=%v", check, r.Pass, r.Err, want)
		}
	}
	for _, bad := range []string{`resource.names[3] == "x"`, `resource.names[-1] == "x"`, `resource.names["x"] == "x"`} {
		if r := one(t, engine(t, Config{}, pol("p", asset.TypeEC2Instance, bad)), a, nil); r.Err == nil {
			t.Errorf("%s gave no error: %+v", bad, r)
		}
	}
}
