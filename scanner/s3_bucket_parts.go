package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// s3GroupName maps a predefined S3 grantee group URI to the short name
// policies match on ("" when it is not one of them).
func s3GroupName(uri string) string {
	switch strings.TrimPrefix(strings.TrimPrefix(uri, "http://"), "https://") {
	case "acs.amazonaws.com/groups/global/AllUsers":
		return "AllUsers"
	case "acs.amazonaws.com/groups/global/AuthenticatedUsers":
		return "AuthenticatedUsers"
	case "acs.amazonaws.com/groups/s3/LogDelivery":
		return "LogDelivery"
	}
	return ""
}

// s3Detail gathers the parts of one bucket's document. Each method reads one
// configuration; an expected "not configured" error gives the zero shape,
// any other error is returned.
type s3Detail struct {
	name   string
	client *s3.Client

	aclDoc    map[string]any
	policyDoc any
	pabDoc    map[string]any
	encDoc    map[string]any
	verDoc    map[string]any
	logDoc    map[string]any
	webDoc    map[string]any
	tags      map[string]string
}

// bucket is the Bucket input field.
func (d *s3Detail) bucket() *string { return aws.String(d.name) }

// acl reads the owner and grants.
func (d *s3Detail) acl(ctx context.Context) error {
	out, err := d.client.GetBucketAcl(ctx, &s3.GetBucketAclInput{Bucket: d.bucket()})
	if err != nil {
		return fmt.Errorf("get acl: %w", err)
	}
	grants := []any{}
	for _, g := range out.Grants {
		grants = append(grants, s3GrantDoc(g))
	}
	owner := ""
	if out.Owner != nil {
		owner = aws.ToString(out.Owner.ID)
	}
	d.aclDoc = map[string]any{"owner": owner, "grants": grants}
	return nil
}

// s3GrantDoc names the grantee: a short group name, else the canonical ID
// or e-mail.
func s3GrantDoc(g s3types.Grant) map[string]any {
	grantee, typ := "", ""
	if g.Grantee != nil {
		typ = string(g.Grantee.Type)
		switch {
		case g.Grantee.URI != nil:
			uri := aws.ToString(g.Grantee.URI)
			grantee = uri
			if short := s3GroupName(uri); short != "" {
				grantee = short
			}
		case g.Grantee.ID != nil:
			grantee = aws.ToString(g.Grantee.ID)
		default:
			grantee = aws.ToString(g.Grantee.EmailAddress)
		}
	}
	return map[string]any{"grantee": grantee, "grantee_type": typ, "permission": string(g.Permission)}
}

// policy reads and normalises the bucket policy (null when none).
func (d *s3Detail) policy(ctx context.Context) error {
	out, err := d.client.GetBucketPolicy(ctx, &s3.GetBucketPolicyInput{Bucket: d.bucket()})
	if err != nil {
		if docsIsCode(err, "NoSuchBucketPolicy") {
			d.policyDoc = nil
			return nil
		}
		return fmt.Errorf("get policy: %w", err)
	}
	doc, err := docsPolicy(out.Policy)
	if err != nil {
		return fmt.Errorf("bucket policy: %w", err)
	}
	d.policyDoc = doc
	return nil
}

// publicAccessBlock reads the bucket's Block Public Access settings.
func (d *s3Detail) publicAccessBlock(ctx context.Context) error {
	out, err := d.client.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: d.bucket()})
	if err != nil {
		if docsIsCode(err, "NoSuchPublicAccessBlockConfiguration") {
			d.pabDoc = s3PABDoc(false, nil, nil, nil, nil)
			return nil
		}
		return fmt.Errorf("get public access block: %w", err)
	}
	c := out.PublicAccessBlockConfiguration
	if c == nil {
		c = &s3types.PublicAccessBlockConfiguration{}
	}
	d.pabDoc = s3PABDoc(true, c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets)
	return nil
}

// s3PABDoc is the public_access_block shape shared by buckets and the
// account.
func s3PABDoc(configured bool, blockACLs, ignoreACLs, blockPolicy, restrict *bool) map[string]any {
	return map[string]any{
		"configured":              configured,
		"block_public_acls":       docsBool(blockACLs),
		"ignore_public_acls":      docsBool(ignoreACLs),
		"block_public_policy":     docsBool(blockPolicy),
		"restrict_public_buckets": docsBool(restrict),
	}
}

// encryption reads the default encryption rule.
func (d *s3Detail) encryption(ctx context.Context) error {
	d.encDoc = map[string]any{"enabled": false, "algorithm": "", "kms_key_id": ""}
	out, err := d.client.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: d.bucket()})
	if err != nil {
		if docsIsCode(err, "ServerSideEncryptionConfigurationNotFoundError") {
			return nil
		}
		return fmt.Errorf("get encryption: %w", err)
	}
	if out.ServerSideEncryptionConfiguration == nil {
		return nil
	}
	for _, r := range out.ServerSideEncryptionConfiguration.Rules {
		if def := r.ApplyServerSideEncryptionByDefault; def != nil && def.SSEAlgorithm != "" {
			d.encDoc = map[string]any{
				"enabled":    true,
				"algorithm":  string(def.SSEAlgorithm),
				"kms_key_id": aws.ToString(def.KMSMasterKeyID),
			}
			return nil
		}
	}
	return nil
}

// versioning reads the versioning status and MFA delete.
func (d *s3Detail) versioning(ctx context.Context) error {
	out, err := d.client.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: d.bucket()})
	if err != nil {
		return fmt.Errorf("get versioning: %w", err)
	}
	d.verDoc = map[string]any{"status": string(out.Status), "mfa_delete": string(out.MFADelete)}
	return nil
}

// logging reads server access logging.
func (d *s3Detail) logging(ctx context.Context) error {
	out, err := d.client.GetBucketLogging(ctx, &s3.GetBucketLoggingInput{Bucket: d.bucket()})
	if err != nil {
		return fmt.Errorf("get logging: %w", err)
	}
	d.logDoc = map[string]any{"enabled": false, "target_bucket": "", "target_prefix": ""}
	if le := out.LoggingEnabled; le != nil {
		d.logDoc = map[string]any{
			"enabled":       true,
			"target_bucket": aws.ToString(le.TargetBucket),
			"target_prefix": aws.ToString(le.TargetPrefix),
		}
	}
	return nil
}

// website reads whether static website hosting is on.
func (d *s3Detail) website(ctx context.Context) error {
	_, err := d.client.GetBucketWebsite(ctx, &s3.GetBucketWebsiteInput{Bucket: d.bucket()})
	if err != nil {
		if docsIsCode(err, "NoSuchWebsiteConfiguration") {
			d.webDoc = map[string]any{"enabled": false}
			return nil
		}
		return fmt.Errorf("get website: %w", err)
	}
	d.webDoc = map[string]any{"enabled": true}
	return nil
}

// tagging reads the bucket's tags (none when it has no tag set).
func (d *s3Detail) tagging(ctx context.Context) error {
	d.tags = map[string]string{}
	out, err := d.client.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: d.bucket()})
	if err != nil {
		if docsIsCode(err, "NoSuchTagSet") {
			return nil
		}
		return fmt.Errorf("get tagging: %w", err)
	}
	for _, t := range out.TagSet {
		d.tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return nil
}
