package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

// IAMPolicies collects the customer-managed IAM policies of an account (a
// global unit) with their default version's document.
type IAMPolicies struct{}

// NewIAMPolicies returns the aws.iam.policy collector.
func NewIAMPolicies() *IAMPolicies { return &IAMPolicies{} }

// Type returns asset.TypeIAMPolicy.
func (*IAMPolicies) Type() string { return asset.TypeIAMPolicy }

// Global reports true: IAM is account-wide.
func (*IAMPolicies) Global() bool { return true }

// Collect lists the account's own policies (Scope=Local) and reads each
// default version.
func (*IAMPolicies) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.IAM()
	var policies []iamtypes.Policy
	p := iam.NewListPoliciesPaginator(client, &iam.ListPoliciesInput{Scope: iamtypes.PolicyScopeTypeLocal})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("iam list policies: %w", err)
		}
		policies = append(policies, page.Policies...)
	}
	return docsDescribeEach(ctx, policies, s.Fanout(), func(ctx context.Context, p iamtypes.Policy) (*asset.Asset, error) {
		a, err := iamDescribePolicy(ctx, s, client, p)
		if err != nil {
			return nil, fmt.Errorf("iam policy %s: %w", aws.ToString(p.Arn), err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// iamDescribePolicy builds the asset of one policy, or nil when it was
// deleted after the listing.
func iamDescribePolicy(ctx context.Context, s *Session, client *iam.Client, pol iamtypes.Policy) (*asset.Asset, error) {
	ver, err := client.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: pol.Arn, VersionId: pol.DefaultVersionId})
	if err != nil {
		if docsIsCode(err, "NoSuchEntity") {
			return nil, nil
		}
		return nil, fmt.Errorf("get policy version %s: %w", aws.ToString(pol.DefaultVersionId), err)
	}
	var doc any
	if ver.PolicyVersion != nil {
		if doc, err = docsPolicy(ver.PolicyVersion.Document); err != nil {
			return nil, fmt.Errorf("policy document: %w", err)
		}
	}
	var tags []iamtypes.Tag
	tp := iam.NewListPolicyTagsPaginator(client, &iam.ListPolicyTagsInput{PolicyArn: pol.Arn})
	for tp.HasMorePages() {
		page, err := tp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list policy tags: %w", err)
		}
		tags = append(tags, page.Tags...)
	}
	attrs := map[string]any{
		"policy_name":        aws.ToString(pol.PolicyName),
		"policy_id":          aws.ToString(pol.PolicyId),
		"path":               aws.ToString(pol.Path),
		"default_version_id": aws.ToString(pol.DefaultVersionId),
		"attachment_count":   docsInt32(pol.AttachmentCount),
		"create_date":        docsTime(pol.CreateDate),
		"update_date":        docsTime(pol.UpdateDate),
		"document":           doc,
	}
	a := docsAsset(s, asset.TypeIAMPolicy, aws.ToString(pol.Arn), aws.ToString(pol.PolicyName), asset.Global, iamTags(tags), attrs)
	return &a, nil
}
