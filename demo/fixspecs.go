package demo

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// Actions returns one simulated fix action per fix ID of the built-in
// pack, acting on the world: plans show the calls the real action would
// make, applies change the world, undo restores it.
func (w *World) Actions() *fix.Registry {
	specs := fixSpecs()
	as := make([]fix.Action, 0, len(specs))
	for i := range specs {
		as = append(as, simAction{w: w, s: &specs[i]})
	}
	return fix.NewRegistry(as...)
}

// call is one AWS call of a plan.
func call(service, op string, params map[string]any) fix.Call {
	return fix.Call{Service: service, Op: op, Params: params}
}

// to returns a target that is always v.
func to(v any) func(any, map[string]any, time.Time) any {
	return func(any, map[string]any, time.Time) any { return v }
}

// one returns the calls of a fix that makes one call with the resource's name under nameParam.
func one(service, op, nameParam string, params map[string]any) func(string, any, any) []fix.Call {
	return func(name string, _, _ any) []fix.Call {
		p := map[string]any{nameParam: name}
		for k, v := range params {
			p[k] = v
		}
		return []fix.Call{call(service, op, p)}
	}
}

// says returns a summary that names the resource (%s).
func says(format string) func(string, any, any) string {
	return func(name string, _, _ any) string { return fmt.Sprintf(format, name) }
}

// allOn is a Block Public Access configuration with every setting on.
func allOn() map[string]any {
	return map[string]any{"configured": true, "block_public_acls": true, "ignore_public_acls": true,
		"block_public_policy": true, "restrict_public_buckets": true}
}

// allOnParams is the PublicAccessBlockConfiguration of a call that turns every setting on.
func allOnParams() map[string]any {
	return map[string]any{"BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true}
}

// fourOn reports whether a Block Public Access configuration has all four settings on.
func fourOn(v any) bool {
	m, _ := v.(map[string]any)
	return m["block_public_acls"] == true && m["ignore_public_acls"] == true &&
		m["block_public_policy"] == true && m["restrict_public_buckets"] == true
}

// fixSpecs lists the simulated fix actions, one per fix ID of the pack.
func fixSpecs() []spec {
	return append([]spec{
		{id: "s3-block-public-access", typ: asset.TypeS3Bucket, key: "bucket", path: "public_access_block", undoable: true,
			describe: "turn on all four S3 Block Public Access settings of the bucket",
			target:   to(allOn()), ok: fourOn,
			calls:   one("s3", "PutPublicAccessBlock", "Bucket", map[string]any{"PublicAccessBlockConfiguration": allOnParams()}),
			summary: says("turn on all four Block Public Access settings of bucket %s"), noop: "bucket %s already blocks all public access"},
		{id: "s3-remove-public-acl", typ: asset.TypeS3Bucket, key: "bucket", path: "acl", undoable: true,
			describe: "remove the AllUsers/AuthenticatedUsers grants from the bucket ACL, keeping the owner and other grants",
			target:   privateACL, calls: aclCalls, summary: aclSummary, noop: "bucket %s ACL grants nothing to the public"},
		{id: "s3-enable-encryption", typ: asset.TypeS3Bucket, key: "bucket", path: "encryption", undoable: true,
			describe: "set SSE-S3 (AES256) default encryption on the bucket",
			target:   to(map[string]any{"enabled": true, "algorithm": "AES256", "kms_key_id": ""}),
			ok:       func(v any) bool { m, _ := v.(map[string]any); return m["enabled"] == true },
			calls: one("s3", "PutBucketEncryption", "Bucket", map[string]any{"ServerSideEncryptionConfiguration": map[string]any{
				"Rules": []any{map[string]any{"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}}),
			summary: says("set SSE-S3 (AES256) default encryption on bucket %s"), noop: "bucket %s already encrypts by default"},
		{id: "s3-enable-versioning", typ: asset.TypeS3Bucket, key: "bucket", path: "versioning.status", undoable: true,
			describe: "turn on versioning of the bucket (undo suspends it: a bucket cannot return to never-versioned)",
			target:   to("Enabled"),
			calls:    one("s3", "PutBucketVersioning", "Bucket", map[string]any{"VersioningConfiguration": map[string]any{"Status": "Enabled"}}),
			summary:  says("turn on versioning of bucket %s"), noop: "bucket %s already has versioning on",
			undo: func(any) any { return "Suspended" }},
		{id: "s3-account-block-public-access", typ: asset.TypeAccount, key: "account", path: "s3_public_access_block", undoable: true,
			describe: "turn on all four S3 Block Public Access settings for the whole account",
			target:   to(allOn()), ok: fourOn,
			calls:   one("s3control", "PutPublicAccessBlock", "AccountId", map[string]any{"PublicAccessBlockConfiguration": allOnParams()}),
			summary: says("turn on all four S3 Block Public Access settings for account %s"), noop: "account %s already blocks all S3 public access"},
		{id: "ec2-revoke-public-ingress", typ: asset.TypeSecurityGroup, key: "group_id", path: "ingress", undoable: true,
			describe: "revoke the 0.0.0.0/0 and ::/0 ingress rules that open SSH, RDP, database ports or all ports",
			target:   closedIngress, calls: revokeCalls, summary: revokeSummary,
			noop: "security group %s has no world-open rule on SSH, RDP, database or all ports"},
		{id: "ec2-require-imdsv2", typ: asset.TypeEC2Instance, key: "instance_id", path: "imds.http_tokens", undoable: true,
			describe: "require IMDSv2 session tokens on the instance (HttpTokens=required)",
			target:   to("required"),
			calls:    one("ec2", "ModifyInstanceMetadataOptions", "InstanceId", map[string]any{"HttpTokens": "required"}),
			summary:  says("require IMDSv2 tokens on instance %s"), noop: "instance %s already requires IMDSv2"},
		{id: "ec2-snapshot-private", typ: asset.TypeSnapshot, key: "snapshot_id", path: "public", undoable: true,
			describe: "remove the public (group all) create-volume permission of the snapshot",
			target:   to(false),
			calls: one("ec2", "ModifySnapshotAttribute", "SnapshotId", map[string]any{"Attribute": "createVolumePermission",
				"OperationType": "remove", "GroupNames": []any{"all"}}),
			summary: says("make snapshot %s private (remove the public create-volume permission)"), noop: "snapshot %s is not public"},
		{id: "ec2-enable-ebs-default-encryption", typ: asset.TypeAccount, key: "account", path: "ebs_default_encryption", undoable: true,
			describe: "turn on EBS encryption by default in every scanned region where it is off",
			target:   allRegionsOn, calls: ebsCalls, summary: ebsSummary,
			noop: "EBS encryption by default is already on in every scanned region of account %s"},
		{id: "ec2-release-eip", typ: asset.TypeEIP, key: "allocation_id",
			describe: "release the unattached Elastic IP (this cannot be undone: the address is gone for good)",
			fields:   []string{"public_ip", "association_id", "instance_id", "network_interface_id"}, refuse: eipAttached,
			calls: one("ec2", "ReleaseAddress", "AllocationId", nil),
			summary: func(name string, st, _ any) string {
				return fmt.Sprintf("release unattached Elastic IP %s (%s); this cannot be undone", field(st, "public_ip"), name)
			}},
		{id: "ec2-delete-unattached-volume", typ: asset.TypeVolume, key: "volume_id", undoable: true, snapshot: true,
			describe: "snapshot the unattached volume, then delete it (undo restores it from the snapshot)",
			fields:   []string{"state", "attachments", "availability_zone", "size_gb", "volume_type", "encrypted", "kms_key_id"},
			refuse:   volumeAttached, calls: volumeCalls,
			summary: func(name string, st, _ any) string {
				return fmt.Sprintf("snapshot, then delete unattached volume %s (%v GiB)", name, field(st, "size_gb"))
			}},
		{id: "iam-deactivate-access-key", typ: asset.TypeIAMUser, key: "user_name", path: "access_keys", undoable: true,
			describe: "deactivate the user's access keys that are too old or unused (or all but the newest active key)",
			target:   deactivatedKeys, calls: keyCalls, summary: keySummary, noop: "user %s has no access key to deactivate"},
		{id: "iam-set-password-policy", typ: asset.TypeAccount, key: "account", path: "password_policy", undoable: true,
			describe: "set the account password policy to the CIS values without weakening stricter settings",
			target:   cisPasswordPolicy, calls: passwordCalls, summary: passwordSummary,
			noop: "the password policy of account %s already meets the CIS values"},
		{id: "kms-enable-rotation", typ: asset.TypeKMSKey, key: "key_id", path: "rotation_enabled", undoable: true,
			describe: "turn on automatic rotation of the customer-managed KMS key",
			target:   to(true), calls: one("kms", "EnableKeyRotation", "KeyId", nil),
			summary: says("turn on automatic rotation of KMS key %s"), noop: "KMS key %s already rotates"},
		{id: "rds-disable-public-access", typ: asset.TypeRDSInstance, key: "db_instance_identifier", path: "publicly_accessible", undoable: true,
			describe: "make the DB instance not publicly accessible (applied immediately)",
			target:   to(false),
			calls:    one("rds", "ModifyDBInstance", "DBInstanceIdentifier", map[string]any{"PubliclyAccessible": false, "ApplyImmediately": true}),
			summary:  says("make DB instance %s not publicly accessible"), noop: "DB instance %s is not publicly accessible"},
		{id: "cloudtrail-enable-log-validation", typ: asset.TypeTrail, key: "id", path: "log_file_validation", undoable: true,
			describe: "turn on log file integrity validation of the trail",
			target:   to(true), calls: one("cloudtrail", "UpdateTrail", "Name", map[string]any{"EnableLogFileValidation": true}),
			summary: says("turn on log file validation of trail %s"), noop: "trail %s already validates its log files"},
	}, appsFixSpecs()...)
}
