package demo

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

var testNow = time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)

// requiredKeys is every attribute docs/ATTRIBUTES.md promises per type.
var requiredKeys = map[string][]string{
	asset.TypeEC2Instance: {"instance_id", "state", "instance_type", "image_id", "launch_time", "platform", "vpc_id", "subnet_id",
		"private_ip", "public_ip", "security_group_ids", "volume_ids", "iam_instance_profile",
		"imds.http_tokens", "imds.http_endpoint", "imds.hop_limit", "monitoring"},
	asset.TypeSecurityGroup: {"group_id", "group_name", "description", "vpc_id", "is_default", "ingress", "egress"},
	asset.TypeVolume: {"volume_id", "state", "size_gb", "volume_type", "encrypted", "kms_key_id", "snapshot_id",
		"availability_zone", "create_time", "attachments"},
	asset.TypeSnapshot: {"snapshot_id", "volume_id", "size_gb", "encrypted", "kms_key_id", "state", "start_time",
		"description", "public", "shared_with"},
	asset.TypeVPC: {"vpc_id", "cidr", "is_default", "state", "flow_logs_enabled", "flow_logs"},
	asset.TypeEIP: {"allocation_id", "public_ip", "domain", "association_id", "instance_id", "network_interface_id", "attached"},
	asset.TypeS3Bucket: {"bucket", "creation_date", "acl.owner", "acl.grants", "policy",
		"public_access_block.configured", "public_access_block.block_public_acls", "public_access_block.ignore_public_acls",
		"public_access_block.block_public_policy", "public_access_block.restrict_public_buckets",
		"encryption.enabled", "encryption.algorithm", "encryption.kms_key_id", "versioning.status", "versioning.mfa_delete",
		"logging.enabled", "logging.target_bucket", "logging.target_prefix", "website.enabled"},
	asset.TypeIAMUser: {"user_name", "user_id", "path", "create_date", "password_enabled", "password_last_used", "mfa_active",
		"mfa_devices", "access_keys", "inline_policies", "attached_policies", "groups"},
	asset.TypeIAMRole: {"role_name", "role_id", "path", "create_date", "assume_role_policy.version", "assume_role_policy.statements",
		"attached_policies", "inline_policies", "last_used", "max_session_duration"},
	asset.TypeIAMPolicy: {"policy_name", "policy_id", "path", "default_version_id", "attachment_count", "create_date",
		"update_date", "document.version", "document.statements"},
	asset.TypeAccount: {"account_id", "alias", "root.mfa_enabled", "root.access_keys_present",
		"password_policy.present", "password_policy.minimum_length", "password_policy.require_symbols",
		"password_policy.require_numbers", "password_policy.require_uppercase", "password_policy.require_lowercase",
		"password_policy.allow_users_to_change", "password_policy.max_age_days", "password_policy.reuse_prevention",
		"password_policy.hard_expiry", "ebs_default_encryption", "s3_public_access_block.configured",
		"s3_public_access_block.block_public_acls", "s3_public_access_block.ignore_public_acls",
		"s3_public_access_block.block_public_policy", "s3_public_access_block.restrict_public_buckets", "credential_report_users",
		"root.virtual_mfa", "support_access.roles", "cloudshell_full_access.users"},
	asset.TypeRDSInstance: {"db_instance_identifier", "engine", "engine_version", "instance_class", "status", "publicly_accessible",
		"storage_encrypted", "kms_key_id", "auto_minor_version_upgrade", "backup_retention_period", "multi_az",
		"vpc_security_group_ids", "endpoint"},
	asset.TypeRDSSnapshot: {"snapshot_identifier", "db_instance_identifier", "engine", "encrypted", "snapshot_type", "status",
		"create_time", "public", "shared_with"},
	asset.TypeLambda: {"function_name", "runtime", "handler", "role", "last_modified", "memory_size", "timeout",
		"environment_keys", "policy", "vpc_id"},
	asset.TypeKMSKey: {"key_id", "description", "key_state", "key_manager", "key_spec", "key_usage", "creation_date", "rotation_enabled"},
	asset.TypeTrail: {"trail_name", "home_region", "is_multi_region", "include_global_events", "log_file_validation",
		"kms_key_id", "s3_bucket", "is_logging", "event_selectors", "advanced_event_selectors", "log_group_name", "log_group_region"},
	asset.TypeLoadBalancer: {"lb_name", "dns_name", "scheme", "lb_type", "vpc_id", "state", "security_group_ids", "listeners"},
	asset.TypeVulnFinding:  {"cve", "title", "cvss", "severity", "package", "installed_version", "fixed_version", "target", "first_found"},
	// issue 13 batch A
	asset.TypeSQSQueue: {"queue_name", "queue_url", "fifo", "kms_master_key_id", "sqs_managed_sse", "encrypted", "policy",
		"visibility_timeout", "message_retention_seconds", "dead_letter_target_arn", "created"},
	asset.TypeDynamoDBTable: {"table_name", "table_status", "billing_mode", "item_count", "size_bytes", "sse_type", "kms_key_arn",
		"pitr_enabled", "deletion_protection", "stream_enabled", "creation_time"},
	asset.TypeECRRepository: {"repository_name", "repository_uri", "image_tag_mutability", "scan_on_push", "encryption_type",
		"kms_key", "policy", "created_at"},
}

// nestedKeys are the keys of list elements, checked on every element.
var nestedKeys = map[string]map[string][]string{
	asset.TypeSecurityGroup: {
		"ingress": {"protocol", "from_port", "to_port", "cidr", "ipv6", "source_group", "prefix_list", "description"},
		"egress":  {"protocol", "from_port", "to_port", "cidr", "ipv6", "source_group", "prefix_list", "description"},
	},
	asset.TypeVolume:       {"attachments": {"instance_id", "device", "state"}},
	asset.TypeVPC:          {"flow_logs": {"id", "status", "traffic_type", "destination_type", "destination"}},
	asset.TypeIAMUser:      {"access_keys": {"id", "status", "created", "last_used", "last_used_service"}},
	asset.TypeTrail:        {"event_selectors": {"read_write_type", "include_management_events", "data_resources"}, "advanced_event_selectors": {"name", "field_selectors"}},
	asset.TypeLoadBalancer: {"listeners": {"arn", "port", "protocol", "ssl_policy", "default_actions"}},
	asset.TypeS3Bucket:     {"acl.grants": {"grantee", "grantee_type", "permission"}},
}

func TestAssetsDeterministic(t *testing.T) {
	a, _ := json.Marshal(Assets(7, 2000, testNow))
	b, _ := json.Marshal(Assets(7, 2000, testNow))
	if !bytes.Equal(a, b) {
		t.Fatal("same seed, n and now gave different assets")
	}
	c, _ := json.Marshal(Assets(8, 2000, testNow))
	if bytes.Equal(a, c) {
		t.Fatal("a different seed gave the same assets")
	}
}

func TestInventoryShape(t *testing.T) {
	inv := Inventory(testNow)
	if len(inv) != InventorySize {
		t.Fatalf("inventory has %d assets, want %d", len(inv), InventorySize)
	}
	types, accounts, regions := map[string]int{}, map[string]bool{}, map[string]bool{}
	ids := make(map[string]bool, len(inv))
	for _, a := range inv {
		types[a.Type]++
		accounts[a.Account] = true
		if a.Region != asset.Global {
			regions[a.Region] = true
		}
		if ids[a.ID] {
			t.Errorf("duplicate asset ID %s", a.ID)
		}
		ids[a.ID] = true
		if a.Name == "" || a.Source != SourceName || a.LastSeen != testNow || a.FirstSeen.After(testNow) {
			t.Errorf("%s: bad identity fields name=%q source=%q first=%v last=%v", a.ID, a.Name, a.Source, a.FirstSeen, a.LastSeen)
		}
	}
	for _, typ := range append(slices.Clone(asset.AWSTypes), asset.TypeVulnFinding) {
		if types[typ] == 0 && !unmodelled[typ] {
			t.Errorf("no asset of type %s", typ)
		}
	}
	if types[asset.TypeAccount] != 3 || len(accounts) != 3 {
		t.Errorf("want 3 accounts with one aws.account each, got %d accounts and %d account assets", len(accounts), types[asset.TypeAccount])
	}
	if len(regions) != 4 {
		t.Errorf("want 4 regions, got %v", regions)
	}
	// a real estate has many more instances than trails or keys
	if types[asset.TypeEC2Instance] < 10*types[asset.TypeTrail] || types[asset.TypeSecurityGroup] < 5*types[asset.TypeKMSKey] {
		t.Errorf("implausible proportions: %v", types)
	}
}

// unmodelled are the AWS types the demo world has no assets of yet (their
// units are scanned and empty): the CIS monitoring filters, network ACLs, EFS
// and the batch-B services (posture services, edge, data stores).
var unmodelled = map[string]bool{asset.TypeMetricFilter: true, asset.TypeNetworkACL: true,
	asset.TypeEFSFileSystem: true,
	// issue 13 batch A: collected from AWS, not generated by the demo yet
	asset.TypeSNSTopic: true, asset.TypeSecret: true, asset.TypeEKSCluster: true, asset.TypeECSTaskDefinition: true, asset.TypeAMI: true,
	asset.TypeServerCertificate: true, asset.TypeInstanceProfile: true,
	// issue 13 batch B: collected from AWS, not generated by the demo yet
	asset.TypeConfigRecorder: true, asset.TypeSecurityHub: true, asset.TypeGuardDuty: true, asset.TypeAccessAnalyzer: true,
	asset.TypeACMCertificate: true, asset.TypeCloudFront: true, asset.TypeClassicELB: true, asset.TypeRedshiftCluster: true,
	asset.TypeOpenSearchDomain: true, asset.TypeElastiCacheGroup: true, asset.TypeAPIGatewayRESTAPI: true, asset.TypeRoute53Zone: true}

func TestAttributesFollowContract(t *testing.T) {
	for _, a := range Inventory(testNow) {
		doc := a.Attrs
		for _, k := range requiredKeys[a.Type] {
			if _, ok := asset.Get(doc, k); !ok {
				t.Errorf("%s (%s): missing %s", a.ID, a.Type, k)
			}
		}
		for path, keys := range nestedKeys[a.Type] {
			v, _ := asset.Get(doc, path)
			for i, e := range v.([]any) {
				m := e.(map[string]any)
				for _, k := range keys {
					if _, ok := m[k]; !ok {
						t.Errorf("%s: %s[%d] missing %s", a.ID, path, i, k)
					}
				}
			}
		}
		if bad := badValue(doc); bad != "" {
			t.Errorf("%s: %s", a.ID, bad)
		}
		for k := range doc {
			if k != strings.ToLower(k) || strings.Contains(k, "-") {
				t.Errorf("%s: key %q is not snake_case", a.ID, k)
			}
		}
	}
}

// badValue returns a description of the first value that is not a JSON
// document value of the contract (int64 ints, float64 only for cvss).
func badValue(v any) string {
	switch t := v.(type) {
	case nil, string, bool, int64, float64:
		return ""
	case []any:
		for _, e := range t {
			if s := badValue(e); s != "" {
				return s
			}
		}
		return ""
	case map[string]any:
		for k, e := range t {
			if s := badValue(e); s != "" {
				return k + ": " + s
			}
		}
		return ""
	}
	b, _ := json.Marshal(v)
	return "value " + string(b) + " has a non-document Go type"
}

func TestTimestampsAreRFC3339(t *testing.T) {
	keys := []string{"launch_time", "create_time", "start_time", "creation_date", "create_date", "last_modified", "first_found", "password_last_used", "last_used"}
	for _, a := range Inventory(testNow) {
		for _, k := range keys {
			v, ok := a.Attrs[k].(string)
			if !ok || v == "" {
				continue
			}
			at, err := time.Parse(time.RFC3339, v)
			if err != nil || at.After(testNow) || !strings.HasSuffix(v, "Z") {
				t.Errorf("%s: %s = %q is not an RFC3339 UTC time before now", a.ID, k, v)
			}
		}
	}
}

func TestARNsMatchAccountAndRegion(t *testing.T) {
	for _, a := range Inventory(testNow) {
		switch {
		case a.Type == asset.TypeAccount:
			if a.ID != asset.AccountID(a.Account) || a.Region != asset.Global {
				t.Errorf("account asset %s in %s/%s", a.ID, a.Account, a.Region)
			}
		case a.Type == asset.TypeVulnFinding:
			target := a.Attrs["target"].(string)
			if !strings.HasSuffix(a.ID, "@"+target) || !strings.Contains(target, ":"+a.Region+":"+a.Account+":") {
				t.Errorf("finding %s does not match its target's account/region %s/%s", a.ID, a.Account, a.Region)
			}
		case a.Type == asset.TypeS3Bucket:
			if a.ID != "arn:aws:s3:::"+a.Name || a.Region == asset.Global {
				t.Errorf("bucket %s named %s in %s", a.ID, a.Name, a.Region)
			}
		default:
			parts := strings.SplitN(a.ID, ":", 6)
			if len(parts) != 6 || parts[0] != "arn" || parts[1] != "aws" {
				t.Errorf("%s is not an ARN", a.ID)
				continue
			}
			region := parts[3]
			if region == "" {
				region = asset.Global
			}
			if parts[4] != a.Account || region != a.Region {
				t.Errorf("%s: ARN account/region %s/%s, asset says %s/%s", a.ID, parts[4], region, a.Account, a.Region)
			}
			if asset.GlobalTypes[a.Type] != (a.Region == asset.Global) {
				t.Errorf("%s: region %s for type %s", a.ID, a.Region, a.Type)
			}
		}
	}
}

func TestHostileTagsPresent(t *testing.T) {
	found := map[string]bool{}
	for _, a := range Inventory(testNow) {
		for _, v := range a.Tags {
			for _, bad := range []string{"\x1b]0;pwned\x07", "\x1b[2J"} {
				if strings.Contains(v, bad) {
					found[bad] = true
					if strings.ContainsRune(a.Name, 0x1b) {
						t.Errorf("%s: hostile string leaked into the name %q", a.ID, a.Name)
					}
				}
			}
		}
	}
	if len(found) != 2 {
		t.Errorf("hostile tag strings found: %v, want both", found)
	}
}

func TestAssetsScaleAccounts(t *testing.T) {
	as := Assets(5, 12_000, testNow)
	if len(as) != 12_000 {
		t.Fatalf("got %d assets, want exactly 12000", len(as))
	}
	ids := make(map[string]bool, len(as))
	accounts := 0
	for _, a := range as {
		if ids[a.ID] {
			t.Fatalf("duplicate ID %s", a.ID)
		}
		ids[a.ID] = true
		if a.Type == asset.TypeAccount {
			accounts++
		}
	}
	if accounts != 12 {
		t.Errorf("%d accounts for 12,000 assets, want 12", accounts)
	}
	small := Assets(5, 40, testNow)
	types := map[string]bool{}
	for _, a := range small {
		types[a.Type] = true
	}
	if len(types) != len(asset.AWSTypes)+1-len(unmodelled) {
		t.Errorf("a tiny estate of %d assets has %d types, want every type", len(small), len(types))
	}
}
