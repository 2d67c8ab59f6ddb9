package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// iamTags converts IAM tags to a map.
func iamTags(tags []iamtypes.Tag) map[string]string {
	out := make(map[string]string, len(tags))
	for _, t := range tags {
		out[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return out
}

// iamAttachedARNs lists the ARNs of attached managed policies.
func iamAttachedARNs(ps []iamtypes.AttachedPolicy) []any {
	out := make([]any, 0, len(ps))
	for _, p := range ps {
		out = append(out, aws.ToString(p.PolicyArn))
	}
	return out
}

// iamUserAttached lists the managed policies attached to a user.
func iamUserAttached(ctx context.Context, client *iam.Client, user *string) ([]any, error) {
	var all []iamtypes.AttachedPolicy
	p := iam.NewListAttachedUserPoliciesPaginator(client, &iam.ListAttachedUserPoliciesInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list attached user policies: %w", err)
		}
		all = append(all, page.AttachedPolicies...)
	}
	return iamAttachedARNs(all), nil
}

// iamUserInline lists the names of a user's inline policies.
func iamUserInline(ctx context.Context, client *iam.Client, user *string) ([]any, error) {
	var names []string
	p := iam.NewListUserPoliciesPaginator(client, &iam.ListUserPoliciesInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list user policies: %w", err)
		}
		names = append(names, page.PolicyNames...)
	}
	return docsStrings(names), nil
}

// iamRoleAttached lists the managed policies attached to a role.
func iamRoleAttached(ctx context.Context, client *iam.Client, role *string) ([]any, error) {
	var all []iamtypes.AttachedPolicy
	p := iam.NewListAttachedRolePoliciesPaginator(client, &iam.ListAttachedRolePoliciesInput{RoleName: role})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list attached role policies: %w", err)
		}
		all = append(all, page.AttachedPolicies...)
	}
	return iamAttachedARNs(all), nil
}

// iamRoleInline lists the names of a role's inline policies.
func iamRoleInline(ctx context.Context, client *iam.Client, role *string) ([]any, error) {
	var names []string
	p := iam.NewListRolePoliciesPaginator(client, &iam.ListRolePoliciesInput{RoleName: role})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list role policies: %w", err)
		}
		names = append(names, page.PolicyNames...)
	}
	return docsStrings(names), nil
}
