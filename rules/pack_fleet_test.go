package rules_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

const (
	fleetAccount = "123456789012"
	fleetRegion  = "us-east-1"
)

// fleetClock is the scan time of the fleet; its dates are relative to it.
func fleetClock() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }

type doc = map[string]any
type list = []any

func pab(on bool) doc {
	return doc{"configured": on, "block_public_acls": on, "ignore_public_acls": on, "block_public_policy": on, "restrict_public_buckets": on}
}

func rule(proto string, from, to int64, cidr string) doc {
	return doc{"protocol": proto, "from_port": from, "to_port": to, "cidr": cidr, "ipv6": strings.Contains(cidr, ":"),
		"source_group": "", "prefix_list": "", "description": ""}
}

func arn(kind, id string) string {
	return "arn:aws:ec2:" + fleetRegion + ":" + fleetAccount + ":" + kind + "/" + id
}

// goodFleet is one well-run account: every resource complete per
// docs/ATTRIBUTES.md and compliant with every built-in policy.
func goodFleet() []*asset.Asset {
	tags := map[string]string{"Application": "shop", "Environment": "prod", "Owner": "team-web"}
	mk := func(typ, id, name, region string, attrs doc) *asset.Asset {
		return &asset.Asset{ID: id, Type: typ, Name: name, Account: fleetAccount, Region: region, Tags: maps.Clone(tags), Source: "aws", Attrs: attrs}
	}
	stmt := func(effect string, principals, actions, resources list, conds doc) doc {
		return doc{"sid": "", "effect": effect, "principals": principals, "not_principal": false, "actions": actions, "resources": resources, "conditions": conds}
	}
	tlsOnly := doc{"version": "2012-10-17", "statements": list{stmt("Deny", list{"*"}, list{"s3:*"}, list{"arn:aws:s3:::shop-assets/*"},
		doc{"Bool": doc{"aws:SecureTransport": list{"false"}}})}}
	key := doc{"id": "AKIAFLEET", "status": "Active", "created": "2026-10-01T00:00:00Z", "last_used": "2026-11-24T09:00:00Z", "last_used_service": "s3"}
	return append([]*asset.Asset{
		mk(asset.TypeAccount, asset.AccountID(fleetAccount), "shop-prod", asset.Global, doc{
			"account_id": fleetAccount, "alias": "shop-prod",
			"root": doc{"mfa_enabled": true, "access_keys_present": false, "virtual_mfa": false,
				"usage_known": true, "password_last_used": "2026-06-01T09:00:00Z", "access_key_1_last_used": "", "access_key_2_last_used": ""},
			"password_policy": doc{"present": true, "minimum_length": int64(16), "require_symbols": true, "require_numbers": true,
				"require_uppercase": true, "require_lowercase": true, "allow_users_to_change": true, "max_age_days": int64(90),
				"reuse_prevention": int64(24), "hard_expiry": false},
			"ebs_default_encryption": doc{fleetRegion: true}, "s3_public_access_block": pab(true), "credential_report_users": int64(1),
			"support_access":         doc{"roles": list{"support"}, "users": list{}, "groups": list{}},
			"cloudshell_full_access": doc{"roles": list{}, "users": list{}, "groups": list{}}}),
		mk(asset.TypeEC2Instance, arn("instance", "i-1"), "web-1", fleetRegion, doc{
			"instance_id": "i-1", "state": "running", "instance_type": "t3.micro", "image_id": "ami-1", "launch_time": "2026-11-01T00:00:00Z",
			"platform": "", "vpc_id": "vpc-1", "subnet_id": "subnet-1", "private_ip": "10.0.1.10", "public_ip": "",
			"security_group_ids": list{"sg-web"}, "volume_ids": list{"vol-1"}, "iam_instance_profile": "arn:aws:iam::" + fleetAccount + ":instance-profile/web",
			"imds": doc{"http_tokens": "required", "http_endpoint": "enabled", "hop_limit": int64(1)}, "monitoring": "disabled"}),
		mk(asset.TypeSecurityGroup, arn("security-group", "sg-web"), "web", fleetRegion, doc{
			"group_id": "sg-web", "group_name": "web", "description": "web", "vpc_id": "vpc-1", "is_default": false,
			"ingress": list{rule("tcp", 443, 443, "0.0.0.0/0"), rule("tcp", 22, 22, "10.0.0.0/8")},
			"egress":  list{rule("-1", 0, 65535, "0.0.0.0/0")}}),
		mk(asset.TypeSecurityGroup, arn("security-group", "sg-def"), "default", fleetRegion, doc{
			"group_id": "sg-def", "group_name": "default", "description": "default VPC security group", "vpc_id": "vpc-1",
			"is_default": true, "ingress": list{}, "egress": list{}}),
		mk(asset.TypeVolume, arn("volume", "vol-1"), "web-1-root", fleetRegion, doc{
			"volume_id": "vol-1", "state": "in-use", "size_gb": int64(8), "volume_type": "gp3", "encrypted": true, "kms_key_id": "k1",
			"snapshot_id": "", "availability_zone": "us-east-1a", "create_time": "2026-11-01T00:00:00Z",
			"attachments": list{doc{"instance_id": "i-1", "device": "/dev/xvda", "state": "attached"}}}),
		mk(asset.TypeSnapshot, arn("snapshot", "snap-1"), "web-1-backup", fleetRegion, doc{
			"snapshot_id": "snap-1", "volume_id": "vol-1", "size_gb": int64(8), "encrypted": true, "kms_key_id": "k1", "state": "completed",
			"start_time": "2026-11-20T00:00:00Z", "description": "", "public": false, "shared_with": list{}}),
		mk(asset.TypeVPC, arn("vpc", "vpc-1"), "prod", fleetRegion, doc{
			"vpc_id": "vpc-1", "cidr": "10.0.0.0/16", "is_default": false, "state": "available", "flow_logs_enabled": true,
			"flow_logs": list{doc{"id": "fl-1", "status": "ACTIVE", "traffic_type": "ALL", "destination_type": "s3", "destination": "arn:aws:s3:::flow"}}}),
		mk(asset.TypeEIP, arn("elastic-ip", "eipalloc-1"), "web-ip", fleetRegion, doc{
			"allocation_id": "eipalloc-1", "public_ip": "198.51.100.1", "domain": "vpc", "association_id": "eipassoc-1",
			"instance_id": "", "network_interface_id": "eni-1", "attached": true}),
		mk(asset.TypeS3Bucket, "arn:aws:s3:::shop-assets", "shop-assets", fleetRegion, doc{
			"bucket": "shop-assets", "creation_date": "2025-01-01T00:00:00Z",
			"acl":    doc{"owner": "own", "grants": list{doc{"grantee": "own", "grantee_type": "CanonicalUser", "permission": "FULL_CONTROL"}}},
			"policy": tlsOnly, "public_access_block": pab(true),
			"encryption": doc{"enabled": true, "algorithm": "aws:kms", "kms_key_id": "k1"},
			"versioning": doc{"status": "Enabled", "mfa_delete": "Enabled"},
			"logging":    doc{"enabled": true, "target_bucket": "shop-logs", "target_prefix": "assets/"}, "website": doc{"enabled": false}}),
		mk(asset.TypeIAMUser, "arn:aws:iam::"+fleetAccount+":user/alice", "alice", asset.Global, doc{
			"user_name": "alice", "user_id": "AIDA1", "path": "/", "create_date": "2024-01-01T00:00:00Z", "password_enabled": true,
			"password_last_used": "2026-11-24T08:00:00Z", "mfa_active": true, "mfa_devices": list{"arn:aws:iam::" + fleetAccount + ":mfa/alice"},
			"access_keys": list{key}, "inline_policies": list{}, "attached_policies": list{}, "groups": list{"developers"}}),
		mk(asset.TypeIAMRole, "arn:aws:iam::"+fleetAccount+":role/deploy", "deploy", asset.Global, doc{
			"role_name": "deploy", "role_id": "AROA1", "path": "/", "create_date": "2024-01-01T00:00:00Z",
			"assume_role_policy": doc{"version": "2012-10-17", "statements": list{stmt("Allow", list{"ec2.amazonaws.com"}, list{"sts:AssumeRole"}, list{}, doc{})}},
			"attached_policies":  list{}, "inline_policies": list{}, "last_used": "", "max_session_duration": int64(3600)}),
		mk(asset.TypeIAMPolicy, "arn:aws:iam::"+fleetAccount+":policy/s3-read", "s3-read", asset.Global, doc{
			"policy_name": "s3-read", "policy_id": "ANPA1", "path": "/", "default_version_id": "v1", "attachment_count": int64(1),
			"create_date": "2024-01-01T00:00:00Z", "update_date": "2024-01-01T00:00:00Z",
			"document": doc{"version": "2012-10-17", "statements": list{stmt("Allow", list{}, list{"s3:GetObject"}, list{"*"}, doc{})}}}),
		mk(asset.TypeRDSInstance, "arn:aws:rds:"+fleetRegion+":"+fleetAccount+":db:orders", "orders", fleetRegion, doc{
			"db_instance_identifier": "orders", "engine": "postgres", "engine_version": "16.4", "instance_class": "db.t3.micro",
			"status": "available", "publicly_accessible": false, "storage_encrypted": true, "kms_key_id": "k1",
			"auto_minor_version_upgrade": true, "backup_retention_period": int64(7), "multi_az": true,
			"vpc_security_group_ids": list{"sg-web"}, "endpoint": "orders.internal"}),
		mk(asset.TypeRDSSnapshot, "arn:aws:rds:"+fleetRegion+":"+fleetAccount+":snapshot:orders-1", "orders-1", fleetRegion, doc{
			"snapshot_identifier": "orders-1", "db_instance_identifier": "orders", "engine": "postgres", "encrypted": true,
			"snapshot_type": "manual", "status": "available", "create_time": "2026-11-20T00:00:00Z", "public": false, "shared_with": list{}}),
		mk(asset.TypeLambda, "arn:aws:lambda:"+fleetRegion+":"+fleetAccount+":function:api", "api", fleetRegion, doc{
			"function_name": "api", "runtime": "python3.12", "handler": "app.handler", "role": "arn:aws:iam::" + fleetAccount + ":role/deploy",
			"last_modified": "2026-11-01T00:00:00Z", "memory_size": int64(128), "timeout": int64(3), "environment_keys": list{"TABLE_NAME", "DB_PASSWORD_SECRET_ARN"},
			"policy": nil, "vpc_id": ""}),
		mk(asset.TypeKMSKey, "arn:aws:kms:"+fleetRegion+":"+fleetAccount+":key/k1", "k1", fleetRegion, doc{
			"key_id": "k1", "description": "shop data", "key_state": "Enabled", "key_manager": "CUSTOMER", "key_spec": "SYMMETRIC_DEFAULT",
			"key_usage": "ENCRYPT_DECRYPT", "creation_date": "2025-01-01T00:00:00Z", "rotation_enabled": true}),
		mk(asset.TypeTrail, "arn:aws:cloudtrail:"+fleetRegion+":"+fleetAccount+":trail/org", "org", fleetRegion, doc{
			"trail_name": "org", "home_region": fleetRegion, "is_multi_region": true, "include_global_events": true,
			"log_file_validation": true, "kms_key_id": "k1", "s3_bucket": "shop-trail", "is_logging": true,
			"event_selectors": list{doc{"read_write_type": "All", "include_management_events": true,
				"data_resources": list{doc{"type": "AWS::S3::Object", "values": list{"arn:aws:s3"}}}}},
			"advanced_event_selectors": list{}, "log_group_name": "org-trail", "log_group_region": fleetRegion}),
		mk(asset.TypeNetworkACL, arn("network-acl", "acl-1"), "prod-acl", fleetRegion, doc{
			"network_acl_id": "acl-1", "vpc_id": "vpc-1", "is_default": false, "subnet_ids": list{"subnet-1"},
			"entries": list{
				doc{"rule_number": int64(100), "protocol": "6", "rule_action": "allow", "egress": false, "cidr": "0.0.0.0/0", "from_port": int64(443), "to_port": int64(443)},
				doc{"rule_number": int64(110), "protocol": "6", "rule_action": "allow", "egress": false, "cidr": "10.0.0.0/8", "from_port": int64(22), "to_port": int64(22)},
				doc{"rule_number": int64(32767), "protocol": "-1", "rule_action": "deny", "egress": false, "cidr": "0.0.0.0/0", "from_port": int64(0), "to_port": int64(65535)}}}),
		mk(asset.TypeEFSFileSystem, "arn:aws:elasticfilesystem:"+fleetRegion+":"+fleetAccount+":file-system/fs-1", "shared", fleetRegion, doc{
			"file_system_id": "fs-1", "encrypted": true, "kms_key_id": "k1", "performance_mode": "generalPurpose", "throughput_mode": "bursting",
			"life_cycle_state": "available", "mount_targets": int64(2), "creation_time": "2025-01-01T00:00:00Z"}),
		mk(asset.TypeLoadBalancer, "arn:aws:elasticloadbalancing:"+fleetRegion+":"+fleetAccount+":loadbalancer/app/web/1", "web-lb", fleetRegion, doc{
			"lb_name": "web-lb", "dns_name": "web.elb.amazonaws.com", "scheme": "internet-facing", "lb_type": "application", "vpc_id": "vpc-1",
			"state": "active", "security_group_ids": list{"sg-web"},
			"listeners": list{
				doc{"arn": "l1", "port": int64(443), "protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
					"default_actions": list{doc{"type": "forward", "redirect_protocol": ""}}},
				doc{"arn": "l2", "port": int64(80), "protocol": "HTTP", "ssl_policy": "",
					"default_actions": list{doc{"type": "redirect", "redirect_protocol": "HTTPS"}}}}}),
		finding("CVE-2024-0001", 5.3, arn("instance", "i-1")),
	}, cisFilters()...)
}

// monitoringFailures is every CIS monitoring policy failing on the account.
func monitoringFailures() []string {
	var out []string
	for _, f := range cisFilters() {
		out = append(out, f.Name+"@shop-prod")
	}
	slices.Sort(out)
	return out
}

// cisFilters are metric filters on the org trail's log group, one per CIS
// monitoring policy with that policy's first pattern, each alarmed to a
// topic with a subscriber: what a well-run account has for CIS section 4.
func cisFilters() []*asset.Asset {
	ps, errs := rules.LoadAll()
	if len(errs) > 0 {
		panic(fmt.Sprint("load the pack: ", errs))
	}
	var out []*asset.Asset
	for _, p := range ps {
		patterns, _ := p.Params["patterns"].([]any)
		if !strings.HasPrefix(p.ID, "monitoring-") || len(patterns) == 0 {
			continue
		}
		pattern, _ := patterns[0].(string)
		id := "aws:logs:" + fleetAccount + ":" + fleetRegion + ":log-group/org-trail/metric-filter/" + p.ID
		out = append(out, &asset.Asset{ID: id, Type: asset.TypeMetricFilter, Name: p.ID, Account: fleetAccount, Region: fleetRegion,
			Tags: map[string]string{}, Source: "aws", Attrs: doc{
				"filter_name": p.ID, "log_group_name": "org-trail", "filter_pattern": pattern,
				"metric_transformations": list{doc{"metric_name": p.ID, "metric_namespace": "CISBenchmark"}},
				"alarms": list{doc{"alarm_name": p.ID, "actions_enabled": true, "sns_topics": list{
					doc{"topic_arn": "arn:aws:sns:" + fleetRegion + ":" + fleetAccount + ":security", "confirmed_subscriptions": int64(1)}}}}}})
	}
	return out
}

func finding(cve string, cvss float64, target string) *asset.Asset {
	return &asset.Asset{ID: "vuln:" + cve + "@" + target, Type: asset.TypeVulnFinding, Name: cve, Account: fleetAccount, Region: fleetRegion,
		Source: "import", Attrs: doc{"cve": cve, "title": cve, "cvss": cvss, "severity": "MEDIUM", "package": "openssl",
			"installed_version": "1", "fixed_version": "2", "target": target, "first_found": "2026-11-01T00:00:00Z"}}
}

// evaluateFleet runs the whole pack over a fleet, as a scan does, and returns
// the failing "policy@asset-name" pairs. Any evaluation error fails the test.
func evaluateFleet(t testing.TB, fleet []*asset.Asset) []string {
	t.Helper()
	eng, errs := rules.NewEngine(loadPack(t), rules.Config{Now: fleetClock})
	if len(errs) > 0 {
		t.Fatalf("engine: %v", errs)
	}
	names := map[string]string{}
	for _, a := range fleet {
		names[a.ID] = a.Name
	}
	var failing []string
	for _, r := range eng.EvaluateAll(fleet, rules.NewIndex(fleet), 2) {
		if r.Err != nil {
			t.Errorf("%s on %s: %v", r.PolicyID, r.AssetID, r.Err)
		} else if !r.Pass {
			failing = append(failing, r.PolicyID+"@"+names[r.AssetID])
		}
	}
	slices.Sort(failing)
	return failing
}

func TestPackPassesAWellRunAccount(t *testing.T) {
	fleet := goodFleet()
	if got := evaluateFleet(t, fleet); len(got) > 0 {
		t.Errorf("a compliant account fails %v", got)
	}
	eng, _ := rules.NewEngine(loadPack(t), rules.Config{})
	for _, a := range fleet {
		// findings and metric filters are judged through related() from
		// the instance and the account
		if a.Type != asset.TypeVulnFinding && a.Type != asset.TypeMetricFilter && len(eng.Applies(a.Type)) == 0 {
			t.Errorf("no built-in policy judges %s", a.Type)
		}
	}
}

func fleetAsset(fleet []*asset.Asset, name string) *asset.Asset {
	for _, a := range fleet {
		if a.Name == name {
			return a
		}
	}
	panic("no fleet asset " + name)
}

// TestPackFindsPlantedProblems plants one problem at a time in the good
// account and checks that exactly the expected policies fail on exactly the
// expected resource, with related() and account() served by the scan index.
func TestPackFindsPlantedProblems(t *testing.T) {
	cases := []struct {
		name  string
		plant func(f []*asset.Asset) []*asset.Asset
		want  []string
	}{
		{"KMS monitoring filter without ScheduleKeyDeletion", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "monitoring-cmk-disable-delete").Attrs["filter_pattern"] = `{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }`
			return f
		}, []string{"monitoring-cmk-disable-delete@shop-prod"}},
		{"root-usage alarm topic without subscribers", func(f []*asset.Asset) []*asset.Asset {
			a := fleetAsset(f, "monitoring-root-usage").Attrs["alarms"].(list)[0].(doc)
			a["sns_topics"].(list)[0].(doc)["confirmed_subscriptions"] = int64(0)
			return f
		}, []string{"monitoring-root-usage@shop-prod"}},
		{"trail stops delivering to CloudWatch Logs", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "org").Attrs["log_group_name"] = ""
			return f
		}, monitoringFailures()},
		{"network ACL admits RDP from anywhere", func(f []*asset.Asset) []*asset.Asset {
			acl := fleetAsset(f, "prod-acl")
			acl.Attrs["entries"] = append(list{doc{"rule_number": int64(50), "protocol": "6", "rule_action": "allow", "egress": false,
				"cidr": "0.0.0.0/0", "from_port": int64(3389), "to_port": int64(3389)}}, acl.Attrs["entries"].(list)...)
			return f
		}, []string{"ec2-nacl-open-admin-ports@prod-acl"}},
		{"unencrypted file system", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "shared").Attrs["encrypted"] = false
			return f
		}, []string{"efs-encrypted@shared"}},
		{"ssh open to the world", func(f []*asset.Asset) []*asset.Asset {
			sg := fleetAsset(f, "web")
			sg.Attrs["ingress"] = append(sg.Attrs["ingress"].(list), rule("tcp", 22, 22, "0.0.0.0/0"))
			return f
		}, []string{"ec2-sg-open-ssh@web"}},
		{"all traffic open over IPv6", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "web").Attrs["ingress"] = list{rule("-1", 0, 65535, "::/0")}
			return f
		}, []string{"ec2-sg-open-all-ports@web", "ec2-sg-open-db-ports@web", "ec2-sg-open-rdp@web", "ec2-sg-open-ssh@web"}},
		{"critical CVE on the instance", func(f []*asset.Asset) []*asset.Asset {
			return append(f, finding("CVE-2024-3094", 10.0, arn("instance", "i-1")))
		}, []string{"ec2-instance-critical-vulnerabilities@web-1"}},
		{"critical CVE on another instance only", func(f []*asset.Asset) []*asset.Asset {
			return append(f, finding("CVE-2024-3094", 10.0, arn("instance", "i-other")))
		}, nil},
		{"public ACL neutralised by the account's Block Public Access", func(f []*asset.Asset) []*asset.Asset {
			b := fleetAsset(f, "shop-assets")
			b.Attrs["public_access_block"] = pab(false)
			b.Attrs["acl"].(doc)["grants"] = list{doc{"grantee": "AllUsers", "grantee_type": "Group", "permission": "READ"}}
			return f
		}, []string{"s3-bucket-public-access-block@shop-assets"}},
		{"public ACL with Block Public Access off everywhere", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "shop-prod").Attrs["s3_public_access_block"] = pab(false)
			b := fleetAsset(f, "shop-assets")
			b.Attrs["public_access_block"] = pab(false)
			b.Attrs["acl"].(doc)["grants"] = list{doc{"grantee": "AllUsers", "grantee_type": "Group", "permission": "FULL_CONTROL"}}
			return f
		}, []string{"s3-account-public-access-block@shop-prod", "s3-bucket-public-access-block@shop-assets",
			"s3-bucket-public-read@shop-assets", "s3-bucket-public-write@shop-assets"}},
		{"console password unused since August", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "alice").Attrs["password_last_used"] = "2026-08-01T00:00:00Z"
			return f
		}, []string{"iam-credentials-unused@alice"}},
		{"access key from last year", func(f []*asset.Asset) []*asset.Asset {
			k := fleetAsset(f, "alice").Attrs["access_keys"].(list)[0].(doc)
			k["created"] = "2025-06-01T00:00:00Z"
			return f
		}, []string{"iam-access-key-rotation@alice"}},
		{"EBS default encryption off in a second region", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "shop-prod").Attrs["ebs_default_encryption"].(doc)["eu-west-1"] = false
			return f
		}, []string{"ec2-ebs-default-encryption@shop-prod"}},
		{"detached volume", func(f []*asset.Asset) []*asset.Asset {
			v := fleetAsset(f, "web-1-root")
			v.Attrs["state"], v.Attrs["attachments"] = "available", list{}
			return f
		}, []string{"ec2-volume-unattached@web-1-root"}},
		{"role trusted by anyone", func(f []*asset.Asset) []*asset.Asset {
			r := fleetAsset(f, "deploy").Attrs["assume_role_policy"].(doc)["statements"].(list)[0].(doc)
			r["principals"] = list{"*"}
			return f
		}, []string{"iam-role-public-trust@deploy"}},
		{"password in a function's environment", func(f []*asset.Asset) []*asset.Asset {
			fn := fleetAsset(f, "api")
			fn.Attrs["environment_keys"] = append(fn.Attrs["environment_keys"].(list), "DB_PASSWORD")
			return f
		}, []string{"lambda-env-secret-names@api"}},
		{"root signed in this morning", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "shop-prod").Attrs["root"].(doc)["password_last_used"] = "2026-11-25T08:00:00Z"
			return f
		}, []string{"iam-root-used-recently@shop-prod"}},
		{"trail logging only S3 reads", func(f []*asset.Asset) []*asset.Asset {
			fleetAsset(f, "org").Attrs["event_selectors"].(list)[0].(doc)["read_write_type"] = "ReadOnly"
			return f
		}, []string{"cloudtrail-s3-write-events@shop-prod"}},
		{"listener on the 2016 TLS policy", func(f []*asset.Asset) []*asset.Asset {
			l := fleetAsset(f, "web-lb").Attrs["listeners"].(list)[0].(doc)
			l["ssl_policy"] = "ELBSecurityPolicy-2016-08"
			return f
		}, []string{"elbv2-tls-policy@web-lb"}},
		{"instance without an Owner tag in an unapproved region", func(f []*asset.Asset) []*asset.Asset {
			i := fleetAsset(f, "web-1")
			delete(i.Tags, "Owner")
			i.Region = "ap-south-1"
			return f
		}, []string{"region-approved@web-1", "tag-required@web-1"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := evaluateFleet(t, tc.plant(goodFleet()))
			if fmt.Sprint(got) != fmt.Sprint(tc.want) && len(got)+len(tc.want) > 0 {
				t.Errorf("failing policies %v, want %v", got, tc.want)
			}
		})
	}
}

// BenchmarkPackEvaluate measures the whole built-in pack over a fleet of
// 19 resources x 100 copies (1,900 assets), as one scan evaluates it.
func BenchmarkPackEvaluate(b *testing.B) {
	var fleet []*asset.Asset
	for i := range 100 {
		for _, a := range goodFleet() {
			a.ID = fmt.Sprintf("%s-%d", a.ID, i)
			fleet = append(fleet, a)
		}
	}
	eng, errs := rules.NewEngine(loadPack(b), rules.Config{Now: fleetClock})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	ix := rules.NewIndex(fleet)
	n := 0
	for b.Loop() {
		eng.EvaluateAll(fleet, ix, 1)
		n++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*len(fleet)), "ns/asset")
}
