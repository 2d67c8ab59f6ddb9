package scanner

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

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
	s := docsTestSession(t, srv, asset.Global)
	ctx, ok, east, west := context.Background(), docsOK(t), s.S3(), s.S3In("eu-west-1")
	euWest := &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}
	// Non-compliant bucket: public ACL, public policy, no encryption/versioning/logging/BPA, website on.
	ok(east.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vigil-public")}))
	docsAWS(t, srv, "s3api", "put-bucket-acl", "--bucket", "vigil-public", "--acl", "public-read")
	ok(east.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("vigil-public"), Policy: aws.String(s3PublicPolicy)}))
	ok(east.PutBucketWebsite(ctx, &s3.PutBucketWebsiteInput{Bucket: aws.String("vigil-public"),
		WebsiteConfiguration: &s3types.WebsiteConfiguration{IndexDocument: &s3types.IndexDocument{Suffix: aws.String("index.html")}}}))
	// Log target.
	ok(west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vigil-logs"), CreateBucketConfiguration: euWest}))
	logDelivery := aws.String(`uri="http://acs.amazonaws.com/groups/s3/LogDelivery"`)
	ok(west.PutBucketAcl(ctx, &s3.PutBucketAclInput{Bucket: aws.String("vigil-logs"), GrantWrite: logDelivery, GrantReadACP: logDelivery}))
	// Compliant twin, in another region.
	privName := aws.String("vigil-private")
	ok(west.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: privName, CreateBucketConfiguration: euWest}))
	ok(west.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: privName, Policy: aws.String(s3TLSPolicy)}))
	ok(west.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: privName,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
	ok(west.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: privName,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
			ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{
				SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: aws.String("alias/vigil")}}}}}))
	ok(west.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: privName,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}}))
	ok(west.PutBucketLogging(ctx, &s3.PutBucketLoggingInput{Bucket: privName, BucketLoggingStatus: &s3types.BucketLoggingStatus{
		LoggingEnabled: &s3types.LoggingEnabled{TargetBucket: aws.String("vigil-logs"), TargetPrefix: aws.String("private/")}}}))
	ok(west.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: privName,
		Tagging: &s3types.Tagging{TagSet: []s3types.Tag{{Key: aws.String("Owner"), Value: aws.String("sec")}}}}))

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
		if !s3HasGrant(docsList(t, logs, "acl.grants"), "LogDelivery", "WRITE") {
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
