package scanner

import (
	"reflect"
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

const (
	s3PublicPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"Public","Effect":"Allow","Principal":"*",` +
		`"Action":"s3:GetObject","Resource":"arn:aws:s3:::vigil-public/*"}]}`
	s3TLSPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"TLSOnly","Effect":"Deny","Principal":{"AWS":"*"},` +
		`"Action":"s3:*","Resource":["arn:aws:s3:::vigil-private","arn:aws:s3:::vigil-private/*"],` +
		`"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`
)

func TestS3BucketsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	// Non-compliant bucket: public ACL, public policy, no encryption/versioning/logging/BPA, website on.
	docsAWS(t, srv, "s3api", "create-bucket", "--bucket", "vigil-public")
	docsAWS(t, srv, "s3api", "put-bucket-acl", "--bucket", "vigil-public", "--acl", "public-read")
	docsAWS(t, srv, "s3api", "put-bucket-policy", "--bucket", "vigil-public", "--policy", s3PublicPolicy)
	docsAWS(t, srv, "s3api", "put-bucket-website", "--bucket", "vigil-public",
		"--website-configuration", `{"IndexDocument":{"Suffix":"index.html"}}`)
	// Log target.
	docsAWS(t, srv, "s3api", "create-bucket", "--bucket", "vigil-logs", "--region", "eu-west-1",
		"--create-bucket-configuration", "LocationConstraint=eu-west-1")
	docsAWS(t, srv, "s3api", "put-bucket-acl", "--region", "eu-west-1", "--bucket", "vigil-logs", "--acl", "log-delivery-write")
	// Compliant twin, in another region.
	docsAWS(t, srv, "s3api", "create-bucket", "--bucket", "vigil-private", "--region", "eu-west-1",
		"--create-bucket-configuration", "LocationConstraint=eu-west-1")
	docsAWS(t, srv, "s3api", "put-bucket-policy", "--region", "eu-west-1", "--bucket", "vigil-private", "--policy", s3TLSPolicy)
	docsAWS(t, srv, "s3api", "put-public-access-block", "--region", "eu-west-1", "--bucket", "vigil-private",
		"--public-access-block-configuration",
		"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true")
	docsAWS(t, srv, "s3api", "put-bucket-encryption", "--region", "eu-west-1", "--bucket", "vigil-private",
		"--server-side-encryption-configuration",
		`{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"alias/vigil"}}]}`)
	docsAWS(t, srv, "s3api", "put-bucket-versioning", "--region", "eu-west-1", "--bucket", "vigil-private",
		"--versioning-configuration", "Status=Enabled")
	docsAWS(t, srv, "s3api", "put-bucket-logging", "--region", "eu-west-1", "--bucket", "vigil-private",
		"--bucket-logging-status", `{"LoggingEnabled":{"TargetBucket":"vigil-logs","TargetPrefix":"private/"}}`)
	docsAWS(t, srv, "s3api", "put-bucket-tagging", "--region", "eu-west-1", "--bucket", "vigil-private",
		"--tagging", `{"TagSet":[{"Key":"Owner","Value":"sec"}]}`)

	s := docsTestSession(t, srv, asset.Global)
	got := docsCollect(t, NewS3Buckets(), s)
	if len(got) != 3 {
		t.Fatalf("collected %d buckets, want 3: %v", len(got), got)
	}
	pub, priv, logs := got["arn:aws:s3:::vigil-public"], got["arn:aws:s3:::vigil-private"], got["arn:aws:s3:::vigil-logs"]
	for _, a := range []asset.Asset{pub, priv, logs} {
		docsHasKeys(t, a, "bucket", "creation_date", "acl", "policy", "public_access_block",
			"encryption", "versioning", "logging", "website")
		if docsGet(t, a, "creation_date") == "" {
			t.Errorf("%s: creation_date empty", a.Name)
		}
	}

	t.Run("identity", func(t *testing.T) {
		if pub.Region != "us-east-1" || priv.Region != "eu-west-1" {
			t.Errorf("regions = %q, %q; want us-east-1, eu-west-1", pub.Region, priv.Region)
		}
		if pub.Name != "vigil-public" || docsGet(t, pub, "bucket") != "vigil-public" {
			t.Errorf("public bucket name = %q", pub.Name)
		}
		if !reflect.DeepEqual(priv.Tags, map[string]string{"Owner": "sec"}) || len(pub.Tags) != 0 {
			t.Errorf("tags = %v / %v", priv.Tags, pub.Tags)
		}
	})

	t.Run("acl", func(t *testing.T) {
		if !s3HasGrant(docsList(t, pub, "acl.grants"), "AllUsers", "READ") {
			t.Errorf("public-read bucket lacks AllUsers READ: %v", docsGet(t, pub, "acl.grants"))
		}
		if s3HasGrant(docsList(t, priv, "acl.grants"), "AllUsers", "READ") {
			t.Errorf("private bucket grants AllUsers: %v", docsGet(t, priv, "acl.grants"))
		}
		// moto keeps one grant per grantee for log-delivery-write (READ_ACP).
		if !s3HasGrant(docsList(t, logs, "acl.grants"), "LogDelivery", "READ_ACP") {
			t.Errorf("log bucket lacks a LogDelivery grant: %v", docsGet(t, logs, "acl.grants"))
		}
		if docsGet(t, pub, "acl.owner") == "" {
			t.Error("acl.owner empty")
		}
	})

	t.Run("policy", func(t *testing.T) {
		if p := docsGet(t, logs, "policy"); p != nil {
			t.Errorf("bucket without policy: policy = %v, want null", p)
		}
		docsWant(t, pub, "policy.statements.0.effect", "Allow")
		docsWant(t, pub, "policy.statements.0.principals.0", "*")
		docsWant(t, pub, "policy.statements.0.actions.0", "s3:GetObject")
		docsWant(t, priv, "policy.statements.0.effect", "Deny")
		docsWant(t, priv, "policy.statements.0.principals.0", "*")
		if c := docsList(t, priv, "policy.statements.0.conditions.Bool.aws:SecureTransport"); !reflect.DeepEqual(c, []any{"false"}) {
			t.Errorf("SecureTransport condition = %v, want [false]", c)
		}
	})

	t.Run("public access block", func(t *testing.T) {
		docsWant(t, priv, "public_access_block.configured", true)
		for _, k := range []string{"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"} {
			docsWant(t, priv, "public_access_block."+k, true)
			docsWant(t, pub, "public_access_block."+k, false)
		}
		docsWant(t, pub, "public_access_block.configured", false)
	})

	t.Run("encryption versioning logging website", func(t *testing.T) {
		docsWant(t, priv, "encryption.enabled", true)
		docsWant(t, priv, "encryption.algorithm", "aws:kms")
		docsWant(t, priv, "encryption.kms_key_id", "alias/vigil")
		docsWant(t, priv, "versioning.status", "Enabled")
		docsWant(t, pub, "versioning.status", "")
		docsWant(t, priv, "logging.enabled", true)
		docsWant(t, priv, "logging.target_bucket", "vigil-logs")
		docsWant(t, priv, "logging.target_prefix", "private/")
		docsWant(t, pub, "logging.enabled", false)
		docsWant(t, pub, "website.enabled", true)
		docsWant(t, priv, "website.enabled", false)
	})
}

// s3HasGrant reports whether grants hold (grantee, permission).
func s3HasGrant(grants []any, grantee, perm string) bool {
	for _, g := range grants {
		m, _ := g.(map[string]any)
		if m["grantee"] == grantee && m["permission"] == perm {
			return true
		}
	}
	return false
}
