package demo

import (
	"strconv"

	"github.com/vigil-sec/vigil/asset"
)

// bucketRegion picks a bucket's home region, mostly us-east-1.
func (g *gen) bucketRegion() string {
	switch r := g.r.IntN(100); {
	case r < 55:
		return "us-east-1"
	case r < 70:
		return "us-west-2"
	case r < 92:
		return "eu-west-1"
	}
	return "ap-southeast-2"
}

// buckets adds the account's log buckets and n-2 workload buckets; a few
// are public through their ACL or policy, and some miss encryption,
// versioning, logging or Block Public Access.
func (g *gen) buckets(a *acct, n int) {
	purposes := [...]string{"assets", "uploads", "exports", "backups", "invoices", "artifacts", "datalake", "reports", "static-site", "ml-features"}
	g.bucket(a, a.logBucket, "sre", "logging", "us-east-1", "log")
	g.bucket(a, a.trailBkt, "sre", "cloudtrail", "us-east-1", "trail")
	for i := 2; i < n; i++ {
		team, app := pick(g.r, teams), pick(g.r, apps)
		purpose := purposes[g.r.IntN(len(purposes))]
		name := a.unique("acme-" + team + "-" + purpose + "-" + a.env + "-" + a.id[8:])
		kind := "private"
		switch r := g.r.Float64(); {
		case r < 0.04:
			kind = "public-read"
		case r < 0.055:
			kind = "public-write"
		case r < 0.085:
			kind = "website"
		}
		g.bucket(a, name, team, app, g.bucketRegion(), kind)
	}
}

// bucket adds one bucket of a kind: private, log, trail, public-read,
// public-write or website (public through its bucket policy).
func (g *gen) bucket(a *acct, name, team, app, region, kind string) {
	arn := "arn:aws:s3:::" + name
	grants := []any{map[string]any{"grantee": a.owner, "grantee_type": "CanonicalUser", "permission": "FULL_CONTROL"}}
	switch kind {
	case "log":
		grants = append(grants,
			map[string]any{"grantee": "LogDelivery", "grantee_type": "Group", "permission": "WRITE"},
			map[string]any{"grantee": "LogDelivery", "grantee_type": "Group", "permission": "READ_ACP"})
	case "public-read":
		grants = append(grants, map[string]any{"grantee": "AllUsers", "grantee_type": "Group", "permission": "READ"})
	case "public-write":
		grants = append(grants, map[string]any{"grantee": "AuthenticatedUsers", "grantee_type": "Group", "permission": "WRITE"})
	}
	public := kind == "public-read" || kind == "public-write" || kind == "website"
	var stmts []any
	if kind == "website" {
		stmts = append(stmts, stmt("PublicReadGetObject", "Allow", list("*"), list("s3:GetObject"), list(arn+"/*"), map[string]any{}))
	}
	if kind == "trail" {
		stmts = append(stmts,
			stmt("AWSCloudTrailAclCheck", "Allow", list("cloudtrail.amazonaws.com"), list("s3:GetBucketAcl"), list(arn), map[string]any{}),
			stmt("AWSCloudTrailWrite", "Allow", list("cloudtrail.amazonaws.com"), list("s3:PutObject"), list(arn+"/AWSLogs/"+a.id+"/*"),
				map[string]any{"StringEquals": map[string]any{"s3:x-amz-acl": list("bucket-owner-full-control")}}))
	}
	if kind == "trail" || kind == "log" || g.r.Float64() < 0.7 {
		stmts = append(stmts, stmt("DenyInsecureTransport", "Deny", list("*"), list("s3:*"), list(arn, arn+"/*"),
			map[string]any{"Bool": map[string]any{"aws:SecureTransport": list("false")}}))
	}
	var policy any
	if len(stmts) > 0 {
		policy = doc(stmts...)
	}
	bpa := !public && g.r.Float64() < 0.85
	enc := kind == "trail" || kind == "log" || g.r.Float64() < 0.9
	alg, key := "", ""
	if enc {
		alg = "AES256"
		if g.r.IntN(3) == 0 {
			alg, key = "aws:kms", "arn:aws:kms:"+region+":"+a.id+":key/"+g.uuid()
		}
	}
	versioning := ""
	switch r := g.r.IntN(100); {
	case r < 74 || kind == "trail":
		versioning = "Enabled"
	case r < 80:
		versioning = "Suspended"
	}
	mfaDelete := ""
	switch {
	case versioning == "Enabled" && (bpa || kind == "trail" || kind == "log"):
		mfaDelete = "Enabled" // the careful teams' buckets
	case versioning != "":
		mfaDelete = "Disabled"
	}
	// dev's CloudTrail bucket logs no access (CIS 3.4); the condition comes
	// after the draw, so the rest of the world is unchanged.
	logging := kind != "log" && g.r.Float64() < 0.72 && !(kind == "trail" && a.env == "dev")
	target, prefix := "", ""
	if logging {
		target, prefix = a.logBucket, name+"/"
	}
	tags := g.tags(a, team, app, "")
	if a.hostile && kind == "private" && !a.hostileBucket {
		a.hostileBucket = true
		tags["Note"] = "owner left \x1b[2J\x1b]0;pwned\x07 see ticket OPS-" + strconv.Itoa(1000+g.r.IntN(9000))
	}
	age := 30 + g.r.IntN(1500)
	g.add(arn, asset.TypeS3Bucket, name, a.id, region, tags, min(age, 90), map[string]any{
		"bucket": name, "creation_date": ts(g.now, days(age)),
		"acl":    map[string]any{"owner": a.owner, "grants": grants},
		"policy": policy,
		"public_access_block": map[string]any{
			"configured": bpa, "block_public_acls": bpa, "ignore_public_acls": bpa,
			"block_public_policy": bpa, "restrict_public_buckets": bpa,
		},
		"encryption": map[string]any{"enabled": enc, "algorithm": alg, "kms_key_id": key},
		"versioning": map[string]any{"status": versioning, "mfa_delete": mfaDelete},
		"logging":    map[string]any{"enabled": logging, "target_bucket": target, "target_prefix": prefix},
		"website":    map[string]any{"enabled": kind == "website"},
	})
}

// trails adds the account's organisation-wide trail in us-east-1 and, in
// some accounts, a regional data-events trail with weaker settings.
func (g *gen) trails(a *acct) {
	g.trail(a, "us-east-1", a.alias+"-management", true)
	if g.r.Float64() < 0.4 || a.idx == 2 {
		g.trail(a, "eu-west-1", a.alias+"-data-events", false)
	}
}

// trail adds one trail in its home region.
func (g *gen) trail(a *acct, region, name string, main bool) {
	validation := main || g.r.Float64() < 0.3
	kms := ""
	if main && g.r.Float64() < 0.85 {
		kms = a.keys[region]
	}
	logging := !main || g.r.Float64() < 0.95
	data := []any{} // S3 object-level events for all buckets outside dev (CIS 3.8, 3.9)
	if a.env != "dev" {
		data = []any{map[string]any{"type": "AWS::S3::Object", "values": list("arn:aws:s3")}}
	}
	selectors := []any{map[string]any{"read_write_type": "All", "include_management_events": true, "data_resources": data}}
	advanced := []any{}
	if !main {
		selectors = []any{}
		advanced = []any{map[string]any{"name": "S3 data events", "field_selectors": []any{
			map[string]any{"field": "eventCategory", "equals": list("Data")},
			map[string]any{"field": "resources.type", "equals": list("AWS::S3::Object")},
		}}}
	}
	logGroup, logRegion := "", "" // the main trail delivers to CloudWatch Logs
	if main {
		logGroup, logRegion = "aws-cloudtrail-logs-"+a.alias, region
	}
	g.add("arn:aws:cloudtrail:"+region+":"+a.id+":trail/"+name, asset.TypeTrail, name, a.id, region, g.tags(a, "sre", "audit", ""), 90, map[string]any{
		"trail_name": name, "home_region": region, "is_multi_region": main,
		"include_global_events": main, "log_file_validation": validation, "kms_key_id": kms,
		"s3_bucket": a.trailBkt, "is_logging": logging,
		"event_selectors": selectors, "advanced_event_selectors": advanced,
		"log_group_name": logGroup, "log_group_region": logRegion,
	})
}
