package demo

import (
	"strconv"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// acct is what the generator knows about one account while filling it.
type acct struct {
	idx           int
	id, alias     string
	env           string
	owner         string            // canonical ID (S3 ACL owner)
	logBucket     string            // access-log target bucket
	trailBkt      string            // CloudTrail bucket
	lambdaRole    string            // execution role ARN
	roles         []string          // role ARNs
	keys          map[string]string // region -> a KMS key ARN
	others        []string          // other demo accounts (sharing targets)
	names         map[string]int    // name dedupe within the account
	hostile       bool              // the account that carries the hostile tags
	hostileBucket bool              // its hostile bucket tag is placed
}

// unique returns name, or name-N when it was already used in the account.
func (a *acct) unique(name string) string {
	n := a.names[name]
	a.names[name] = n + 1
	if n == 0 {
		return name
	}
	return name + "-" + strconv.Itoa(n+1)
}

// envOf is the environment of the account at index i.
func envOf(i int) string {
	switch i % 3 {
	case 0:
		return "prod"
	case 1:
		return "staging"
	}
	return "dev"
}

// account fills one account: global resources, then every region.
func (g *gen) account(i int, id string, budget int) {
	env := envOf(i)
	alias := "acme-" + env
	if i >= 3 {
		alias = "acme-" + teams[i%len(teams)] + "-" + env + "-" + strconv.Itoa(i)
	} else if i == 2 {
		alias = "acme-shared-dev"
	}
	a := &acct{
		idx: i, id: id, alias: alias, env: env, owner: g.hex(16) + g.hex(16) + g.hex(16) + g.hex(16),
		keys: map[string]string{}, names: map[string]int{}, hostile: i == 2,
	}
	for _, o := range Accounts(0) {
		if o != id {
			a.others = append(a.others, o)
		}
	}
	a.logBucket = alias + "-s3-access-logs-" + id[8:]
	a.trailBkt = alias + "-cloudtrail-" + id[8:]
	b := float64(budget)

	// accounts differ in how many people and workloads they hold
	f := [3]float64{1.3, 0.7, 1.0}[i%3] * (0.9 + 0.2*g.r.Float64())
	nUsers := g.count(b * 0.035 * f)
	g.iamRoles(a, 2+g.count(b*0.04*f))
	g.iamUsers(a, 2+nUsers)
	g.iamPolicies(a, 1+g.count(b*0.02*f))
	g.accountAsset(a, 2+nUsers)

	regional := b * 0.86
	weights := [4]float64{0.46, 0.2, 0.26, 0.08}
	for ri, region := range Regions() {
		g.region(a, region, regional*weights[ri])
	}
	g.buckets(a, 2+g.count(b*0.05*f))
	g.trails(a)
	// the batch-A resources take only the room the findings leave, so an
	// estate of n assets still holds exactly n (a tiny one gets one of each)
	g.apps(a, b, max(3, budget-len(g.out)-(len(g.targets)/2+1)))
}

// tags returns the usual tag set of a resource, with a few required tags
// missing on some resources the way real estates drift.
func (g *gen) tags(a *acct, team, app, name string) map[string]string {
	r := g.r.Float64()
	if r < 0.03 {
		if name == "" {
			return map[string]string{}
		}
		return map[string]string{"Name": name}
	}
	t := make(map[string]string, 11)
	if name != "" {
		t["Name"] = name
	}
	t["Application"] = app
	t["Environment"] = a.env
	t["Team"] = team
	if g.r.IntN(3) == 0 {
		t["Owner"] = pick(g.r, firstNames) + "." + pick(g.r, lastNames) + "@example.com"
	} else {
		t["Owner"] = team + "@example.com"
	}
	t["CostCenter"] = "cc-" + strconv.Itoa(1000+len(team)*37%400)
	if r < 0.13 {
		switch g.r.IntN(3) {
		case 0:
			delete(t, "Application")
		case 1:
			delete(t, "Environment")
		default:
			delete(t, "Owner")
		}
	}
	t["DataClassification"] = [...]string{"internal", "internal", "confidential", "public", "restricted"}[g.r.IntN(5)]
	t["Repository"] = "github.com/acme/" + team + "-" + app
	switch g.r.IntN(4) {
	case 0:
		t["aws:cloudformation:stack-name"] = team + "-" + app + "-" + a.env
	case 1:
		t["ManagedBy"] = "terraform"
		t["TerraformWorkspace"] = team + "/" + app + "/" + a.env
	}
	if g.r.IntN(3) == 0 {
		t["Backup"] = "daily"
	}
	return t
}

// accountAsset adds the account-wide settings asset.
func (g *gen) accountAsset(a *acct, users int) {
	good := a.env == "prod" || a.env == "staging"
	if a.idx >= 3 {
		good = g.r.Float64() < 0.8
	}
	ebs := make(map[string]any, 4)
	for _, region := range Regions() {
		ebs[region] = good || region == "us-east-1" || region == "eu-west-1"
	}
	pp := map[string]any{
		"present": false, "minimum_length": int64(0), "require_symbols": false, "require_numbers": false,
		"require_uppercase": false, "require_lowercase": false, "allow_users_to_change": false,
		"max_age_days": int64(0), "reuse_prevention": int64(0), "hard_expiry": false,
	}
	if good || g.r.IntN(2) == 0 {
		minLen, reuse := int64(14), int64(24)
		if a.env == "staging" {
			minLen, reuse = 12, 5 // present, but weaker than CIS asks
		}
		pp = map[string]any{
			"present": true, "minimum_length": minLen, "require_symbols": true, "require_numbers": true,
			"require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true,
			"max_age_days": int64(90), "reuse_prevention": reuse, "hard_expiry": false,
		}
	}
	bpa := !(a.env == "dev") || (a.idx >= 3 && good)
	g.add(asset.AccountID(a.id), asset.TypeAccount, a.alias, a.id, asset.Global, nil, 90, map[string]any{
		"account_id": a.id,
		"alias":      a.alias,
		"root": map[string]any{
			"mfa_enabled":         a.env != "dev" || (a.idx >= 3 && good),
			"access_keys_present": a.env == "dev" && !(a.idx >= 3 && good),
			"virtual_mfa":         a.env != "prod",
			// dev's root signed in this morning (CIS 1.7); the others long ago
			"usage_known":            true,
			"password_last_used":     rootLastUsed(g.now, a.env),
			"access_key_1_last_used": "",
			"access_key_2_last_used": "",
		},
		"password_policy":        pp,
		"ebs_default_encryption": ebs,
		"s3_public_access_block": map[string]any{
			"configured": bpa, "block_public_acls": bpa, "ignore_public_acls": bpa,
			"block_public_policy": bpa, "restrict_public_buckets": bpa,
		},
		"credential_report_users": int64(users),
		"support_access":          policyHolders(good, "support"),
		"cloudshell_full_access":  policyHolders(a.env == "dev", "developers"),
	})
}

// policyHolders is an account's list of the entities an AWS-managed policy
// is attached to: one role (or, for a group name, one group) when held.
func policyHolders(held bool, name string) map[string]any {
	roles, groups := []any{}, []any{}
	switch {
	case held && name == "developers":
		groups = append(groups, name)
	case held:
		roles = append(roles, name)
	}
	return map[string]any{"roles": roles, "users": []any{}, "groups": groups}
}

// rootLastUsed is when the root user of an account of env last signed in:
// hours ago in dev, months ago elsewhere. It draws no random number, so the
// rest of the world is unchanged.
func rootLastUsed(now time.Time, env string) string {
	if env == "dev" {
		return ts(now, 3*time.Hour)
	}
	return ts(now, days(200))
}
