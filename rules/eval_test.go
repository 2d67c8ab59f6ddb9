package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const acct = "111111111111"

func pol(id, typ, check string) *Policy {
	return &Policy{ID: id, Name: id + " name", Resources: []string{typ}, Severity: SeverityHigh,
		Category: CategorySecurity, Domain: DefaultDomain, Check: check}
}

func engine(t *testing.T, cfg Config, ps ...*Policy) *Engine {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return testNow }
	}
	e, errs := NewEngine(ps, cfg)
	if len(errs) > 0 {
		t.Fatalf("NewEngine: %v", errs)
	}
	return e
}

func arn(kind, id string) string {
	return fmt.Sprintf("arn:aws:ec2:us-east-1:%s:%s/%s", acct, kind, id)
}

func ec2(id string, attrs map[string]any) *asset.Asset {
	base := map[string]any{"instance_id": id, "security_group_ids": []any{}, "volume_ids": []any{},
		"imds": map[string]any{"http_tokens": "required", "hop_limit": int64(1)}, "public_ip": ""}
	for k, v := range attrs {
		base[k] = v
	}
	return &asset.Asset{ID: arn("instance", id), Type: asset.TypeEC2Instance, Name: id, Account: acct,
		Region: "us-east-1", Tags: map[string]string{}, Attrs: base}
}

func sg(id string, ingress ...map[string]any) *asset.Asset {
	rules := make([]any, len(ingress))
	for i, r := range ingress {
		rules[i] = r
	}
	return &asset.Asset{ID: arn("security-group", id), Type: asset.TypeSecurityGroup, Name: id, Account: acct,
		Region: "us-east-1", Attrs: map[string]any{"group_id": id, "ingress": rules, "egress": []any{}}}
}

func vol(id string, encrypted bool, instances ...string) *asset.Asset {
	atts := make([]any, len(instances))
	for i, in := range instances {
		atts[i] = map[string]any{"instance_id": in, "device": "/dev/xvda", "state": "attached"}
	}
	return &asset.Asset{ID: arn("volume", id), Type: asset.TypeVolume, Name: id, Account: acct, Region: "us-east-1",
		Attrs: map[string]any{"volume_id": id, "encrypted": encrypted, "attachments": atts}}
}

func finding(cve, target string, cvss float64) *asset.Asset {
	return &asset.Asset{ID: "vuln:" + cve + "@" + target, Type: asset.TypeVulnFinding, Name: cve, Account: acct,
		Region: "us-east-1", Attrs: map[string]any{"cve": cve, "cvss": cvss, "target": target}}
}

func account(attrs map[string]any) *asset.Asset {
	return &asset.Asset{ID: asset.AccountID(acct), Type: asset.TypeAccount, Name: acct, Account: acct,
		Region: asset.Global, Attrs: attrs}
}

func one(t *testing.T, e *Engine, a *asset.Asset, rel Resolver) Result {
	t.Helper()
	rs := e.Evaluate(a, rel)
	if len(rs) != 1 {
		t.Fatalf("Evaluate gave %d results, want 1: %+v", len(rs), rs)
	}
	return rs[0]
}

func TestHelpersInsideChecks(t *testing.T) {
	web := ec2("i-web", map[string]any{"security_group_ids": []any{"sg-open", "sg-ok"}, "volume_ids": []any{"vol-1"},
		"launch_time": "2026-11-01T12:00:00Z"})
	db := ec2("i-db", map[string]any{"security_group_ids": []any{"sg-ok"}})
	assets := []*asset.Asset{web, db,
		sg("sg-open", map[string]any{"protocol": "tcp", "from_port": int64(22), "to_port": int64(22), "cidr": "0.0.0.0/0"}),
		sg("sg-ok", map[string]any{"protocol": "tcp", "from_port": int64(443), "to_port": int64(443), "cidr": "10.0.0.0/8"}),
		vol("vol-1", false, "i-web"),
		finding("CVE-1", web.ID, 9.8), finding("CVE-2", web.ID, 4.0), finding("CVE-3", db.ID, 5.0),
		account(map[string]any{"root": map[string]any{"mfa_enabled": true}}),
	}
	west := ec2("i-west", nil)
	west.Region, west.ID = "eu-west-1", "arn:aws:ec2:eu-west-1:"+acct+":instance/i-west"
	other := ec2("i-other", nil)
	other.Account, other.ID = "999999999999", "arn:aws:ec2:us-east-1:999999999999:instance/i-other"
	ix := NewIndex(append(append([]*asset.Asset{}, assets...), west, other))
	cases := []struct {
		check string
		a     *asset.Asset
		pass  bool
	}{
		{`!related("vuln.finding").exists(f, f.cvss >= 7)`, web, false},
		{`!related("vuln.finding").exists(f, f.cvss >= 7)`, db, true},
		{`related("vuln.finding").size() == 2`, web, true},
		{`!related("aws.ec2.security-group").exists(g, g.ingress.exists(r, world_open(r) && covers_port(r, 22)))`, web, false},
		{`!related("aws.ec2.security-group").exists(g, g.ingress.exists(r, world_open(r) && covers_port(r, 22)))`, db, true},
		{`related("aws.ec2.volume").all(v, v.encrypted)`, web, false},
		{`related("aws.ec2.instance").map(i, i.name) == ["i-web"]`, assets[4], true},
		{`related("aws.ec2.instance").size() == 2`, assets[3], true}, // instances using sg-ok
		{`related("aws.kms.key") == []`, web, true},
		{`account().root.mfa_enabled`, web, true},
		{`days_since(resource.launch_time) == 24`, web, true},
		{`days_since("") == -1`, web, true},
		{`resource.imds.hop_limit < 1.5`, web, true}, // int vs double
		{`resource.imds.hop_limit == 1.0`, web, true},
		{`resource.name.upperAscii().startsWith("I-")`, web, true}, // ext strings
		{`!allows_public(resource.?policy.orValue(null), "s3:GetObject")`, web, true},
		{`now > timestamp("2026-01-01T00:00:00Z")`, web, true},
		// an account sees every asset of a type in it, whatever its region
		{`related("aws.ec2.instance").map(i, i.name).sort() == ["i-db", "i-web", "i-west"]`, assets[len(assets)-1], true},
		{`related("aws.ec2.volume").size() == 1 && related("aws.kms.key") == []`, assets[len(assets)-1], true},
		{`pattern_covers("{ ($.eventName = B) || ($.eventName = A) }", "{($.eventName=A)||($.eventName=B)}")`, web, true},
		{`pattern_covers("{ $.eventName = A }", "{($.eventName=A)||($.eventName=B)}")`, web, false},
	}
	for _, c := range cases {
		t.Run(c.check, func(t *testing.T) {
			e := engine(t, Config{}, pol("p", c.a.Type, c.check))
			r := one(t, e, c.a, ix)
			if r.Err != nil || r.Pass != c.pass {
				t.Errorf("pass=%v err=%v, want pass=%v", r.Pass, r.Err, c.pass)
			}
		})
	}
}

func TestAccountWithoutSettingsIsEmptyMap(t *testing.T) {
	e := engine(t, Config{}, pol("p", asset.TypeEC2Instance, `account() == {} && !has(account().root)`))
	if r := one(t, e, ec2("i-1", nil), NewIndex(nil)); r.Err != nil || !r.Pass {
		t.Errorf("result = %+v", r)
	}
}

func TestRuntimeErrorIsNeitherPassNorFail(t *testing.T) {
	e := engine(t, Config{}, pol("p", asset.TypeEC2Instance, `resource.no_such_key == "x"`))
	r := one(t, e, ec2("i-1", nil), nil)
	if r.Err == nil || r.Pass || !strings.Contains(r.Err.Error(), "no such key") {
		t.Errorf("result = %+v, want an evaluation error", r)
	}
}

func TestPathologicalCheckHitsCostLimit(t *testing.T) {
	big := make([]any, 300)
	for i := range big {
		big[i] = int64(i)
	}
	a := ec2("i-1", map[string]any{"big": big})
	e := engine(t, Config{CostLimit: 1_000}, pol("p", asset.TypeEC2Instance,
		`resource.big.all(x, resource.big.all(y, resource.big.all(z, x + y + z >= 0)))`))
	r := one(t, e, a, nil)
	if r.Err == nil || !strings.Contains(r.Err.Error(), "cost limit") {
		t.Errorf("result = %+v, want a cost limit error", r)
	}
}

func TestMessagesAndParams(t *testing.T) {
	p := pol("p", asset.TypeEC2Instance, `resource.imds.hop_limit <= params.max_hops`)
	p.Params = map[string]any{"max_hops": int64(0)}
	p.Message = "instance {{ .name }} allows {{ .imds.hop_limit }} hops"
	bad := pol("q", asset.TypeEC2Instance, `false`)
	bad.Message = "{{ .name.nope }}"
	a := ec2("i-1", nil)
	a.Name = "web\x1b[31m"

	rs := engine(t, Config{}, p, bad).Evaluate(a, nil)
	SortResults(rs)
	if rs[0].Pass || rs[0].Message != "instance web allows 1 hops" {
		t.Errorf("message = %q (escape sequences must be cleaned)", rs[0].Message)
	}
	if rs[1].Message != "q name" {
		t.Errorf("failing template message = %q, want the policy name", rs[1].Message)
	}
	over := engine(t, Config{Params: map[string]map[string]any{"p": {"max_hops": 2}}}, p)
	if r := one(t, over, a, nil); !r.Pass || r.Message != "" {
		t.Errorf("with params override: %+v, want a pass", r)
	}
}

func TestScopeDisabledAndTypes(t *testing.T) {
	prod := ec2("i-prod", nil)
	prod.Tags["Environment"] = "prod"
	dev := ec2("i-dev", nil)
	scoped := pol("scoped", asset.TypeEC2Instance, "true")
	scoped.Group = "prod"
	attrScoped := pol("attr-scoped", asset.TypeEC2Instance, "true")
	attrScoped.Group = "imds-required"
	off := pol("off", asset.TypeEC2Instance, "true")
	multi := pol("multi", asset.TypeEC2Instance, "true")
	multi.Resources = append(multi.Resources, asset.TypeVolume)
	e := engine(t, Config{
		Disabled: map[string]bool{"off": true},
		Groups: []groups.Group{
			{Name: "prod", Match: map[string][]string{"tags.Environment": {"prod"}}},
			{Name: "imds-required", Match: map[string][]string{"imds.http_tokens": {"optional"}}},
		},
	}, scoped, attrScoped, off, multi)
	got := func(a *asset.Asset) string { return strings.Join(resultIDs(e.Evaluate(a, nil)), ",") }
	if g := got(prod); g != "multi,scoped" {
		t.Errorf("prod instance judged by %q, want multi,scoped", g)
	}
	if g := got(dev); g != "multi" {
		t.Errorf("dev instance judged by %q, want multi", g)
	}
	if g := got(vol("vol-1", true)); g != "multi" {
		t.Errorf("volume judged by %q, want multi", g)
	}
	counts := e.EvaluatedCounts([]*asset.Asset{prod, dev, vol("vol-1", true)})
	if counts["multi"] != 3 || counts["scoped"] != 1 || counts["off"] != 0 || counts["attr-scoped"] != 0 {
		t.Errorf("EvaluatedCounts = %v", counts)
	}
	if _, errs := NewEngine([]*Policy{scoped}, Config{}); len(errs) != 1 || !strings.Contains(errs[0].Error(), `unknown group "prod"`) {
		t.Errorf("unknown group errors = %v", errs)
	}
}

func resultIDs(rs []Result) []string {
	SortResults(rs)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.PolicyID
	}
	return out
}

func TestFingerprintAndVolatile(t *testing.T) {
	p := pol("p", asset.TypeEC2Instance, `resource.public_ip == ""`)
	v1 := pol("v1", asset.TypeEC2Instance, `related("vuln.finding").size() == 0`)
	v2 := pol("v2", asset.TypeEC2Instance, `days_since(resource.launch_time) < 90`)
	v3 := pol("v3", asset.TypeS3Bucket, `account().s3_public_access_block.configured`)
	e := engine(t, Config{}, p, v1, v2, v3)
	for id, want := range map[string]bool{"p": false, "v1": true, "v2": true, "v3": true, "nope": false} {
		if got := e.UsesVolatile(id); got != want {
			t.Errorf("UsesVolatile(%s) = %v, want %v", id, got, want)
		}
	}
	if !e.HasVolatile(asset.TypeEC2Instance) || !e.HasVolatile(asset.TypeS3Bucket) || e.HasVolatile(asset.TypeVolume) {
		t.Error("HasVolatile: instances and buckets have volatile policies, volumes none")
	}
	fp := e.Fingerprint(asset.TypeEC2Instance)
	if fp == 0 || fp == e.Fingerprint(asset.TypeS3Bucket) {
		t.Fatal("fingerprints must be set and differ by type")
	}
	if engine(t, Config{}, p, v1, v2, v3).Fingerprint(asset.TypeEC2Instance) != fp {
		t.Error("the same policies must give the same fingerprint")
	}
	changes := map[string]*Engine{
		"params":   engine(t, Config{Params: map[string]map[string]any{"p": {"x": 1}}}, p, v1, v2, v3),
		"disabled": engine(t, Config{Disabled: map[string]bool{"p": true}}, p, v1, v2, v3),
		"removed":  engine(t, Config{}, v1, v2, v3),
	}
	for name, e2 := range changes {
		if e2.Fingerprint(asset.TypeEC2Instance) == fp {
			t.Errorf("%s: fingerprint unchanged", name)
		}
		if e2.Fingerprint(asset.TypeS3Bucket) != e.Fingerprint(asset.TypeS3Bucket) {
			t.Errorf("%s: fingerprint of an unaffected type changed", name)
		}
	}
	// Unchanged assets run only the volatile policies.
	a := ec2("i-1", map[string]any{"launch_time": "2026-11-01T00:00:00Z"})
	rs := e.EvaluateIncremental([]*asset.Asset{a}, func(*asset.Asset) bool { return true }, NewIndex(nil), 1)
	if got := strings.Join(resultIDs(rs), ","); got != "v1,v2" {
		t.Errorf("incremental ran %q, want v1,v2", got)
	}
}

func TestEvaluateAllMatchesEvaluate(t *testing.T) {
	e := engine(t, Config{},
		pol("imds", asset.TypeEC2Instance, `resource.imds.http_tokens == "required"`),
		pol("vulns", asset.TypeEC2Instance, `!related("vuln.finding").exists(f, f.cvss >= 7.0)`),
		pol("enc", asset.TypeVolume, `resource.encrypted`))
	var assets []*asset.Asset
	for i := 0; i < 3000; i++ {
		tokens := "required"
		if i%3 == 0 {
			tokens = "optional"
		}
		in := ec2(fmt.Sprintf("i-%d", i), map[string]any{"imds": map[string]any{"http_tokens": tokens}})
		assets = append(assets, in, vol(fmt.Sprintf("vol-%d", i), i%2 == 0, in.Name))
		if i%5 == 0 {
			assets = append(assets, finding("CVE-9", in.ID, 9))
		}
	}
	ix := NewIndex(assets)
	var want []Result
	for _, a := range assets {
		want = append(want, e.Evaluate(a, ix)...)
	}
	got := e.EvaluateAll(assets, ix, 4)
	if len(got) != len(want) || len(got) != 9000 {
		t.Fatalf("EvaluateAll gave %d results, sequential %d, want 9000", len(got), len(want))
	}
	fails := 0
	for i := range want {
		if got[i].PolicyID != want[i].PolicyID || got[i].AssetID != want[i].AssetID || got[i].Pass != want[i].Pass {
			t.Fatalf("result %d: %+v vs %+v", i, got[i], want[i])
		}
		if !got[i].Pass {
			fails++
		}
	}
	if fails != 1000+1500+600 {
		t.Errorf("failures = %d, want 3100", fails)
	}
}

func TestResourceViewMatchesDoc(t *testing.T) {
	a := ec2("i-1", map[string]any{"name": "shadowed", "extra": int64(3)})
	a.Name = "web"
	a.Tags["Owner"] = "ana"
	checks := []string{
		`resource.name == "web" && resource.id == "` + a.ID + `"`,
		`resource.tags.Owner == "ana" && has(resource.tags.Owner) && !has(resource.tags.Team)`,
		`"id" in resource && "extra" in resource && !("nope" in resource)`,
		`resource.exists(k, k == "account") && resource.exists(k, k == "extra")`,
		`resource.size() == ` + fmt.Sprint(len(a.Doc())),
		`resource.extra == 3 && resource.?nope.orValue(7) == 7`,
		`resource.region == "us-east-1" && resource.type == "aws.ec2.instance" && resource.account == "` + acct + `"`,
		`resource.filter(k, k == "tags").size() == 1`,
	}
	for _, c := range checks {
		e := engine(t, Config{}, pol("p", asset.TypeEC2Instance, c))
		if r := one(t, e, a, nil); r.Err != nil || !r.Pass {
			t.Errorf("%s: pass=%v err=%v", c, r.Pass, r.Err)
		}
	}
}

func TestInputsAndEvaluateChanged(t *testing.T) {
	plain := pol("plain", asset.TypeEC2Instance, `resource.public_ip == ""`)
	vulns := pol("vulns", asset.TypeEC2Instance, `related("vuln.finding").size() == 0 && related("aws.ec2.volume").all(v, v.encrypted)`)
	aged := pol("aged", asset.TypeEC2Instance, `days_since(resource.launch_time) < 90`)
	acc := pol("acc", asset.TypeEC2Instance, `account().size() >= 0`)
	dyn := pol("dyn", asset.TypeEC2Instance, `related(resource.type).size() >= 0`)
	e := engine(t, Config{}, plain, vulns, aged, acc, dyn)
	want := map[string]Inputs{
		"plain": {},
		"vulns": {Related: []string{"aws.ec2.volume", "vuln.finding"}},
		"aged":  {Now: true},
		"acc":   {Account: true},
		"dyn":   {RelatedDynamic: true},
	}
	for id, w := range want {
		if got := e.Inputs(id); fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("Inputs(%s) = %+v, want %+v", id, got, w)
		}
	}
	a := ec2("i-1", map[string]any{"launch_time": "2026-11-01T00:00:00Z"})
	unchanged := func(*asset.Asset) bool { return true }
	cases := []struct {
		types map[string]bool
		want  string
	}{
		{nil, "acc,aged,dyn,vulns"},
		{map[string]bool{}, "aged"},
		{map[string]bool{asset.TypeVulnFinding: true}, "aged,dyn,vulns"},
		{map[string]bool{asset.TypeAccount: true}, "acc,aged,dyn"},
		{map[string]bool{asset.TypeS3Bucket: true}, "aged,dyn"},
	}
	for _, c := range cases {
		rs := e.EvaluateChanged([]*asset.Asset{a}, Changes{Unchanged: unchanged, Types: c.types}, NewIndex(nil), 1)
		if got := strings.Join(resultIDs(rs), ","); got != c.want {
			t.Errorf("changed types %v: ran %q, want %q", c.types, got, c.want)
		}
	}
	rs := e.EvaluateChanged([]*asset.Asset{a}, Changes{Types: map[string]bool{}}, NewIndex(nil), 1)
	if len(rs) != 5 {
		t.Errorf("a changed asset ran %d policies, want all 5", len(rs))
	}
}
