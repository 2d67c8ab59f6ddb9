package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

// IAMRoles collects the IAM roles of an account (a global unit): trust
// policy, attached and inline policies, last use.
type IAMRoles struct{}

// NewIAMRoles returns the aws.iam.role collector.
func NewIAMRoles() *IAMRoles { return &IAMRoles{} }

// Type returns asset.TypeIAMRole.
func (*IAMRoles) Type() string { return asset.TypeIAMRole }

// Global reports true: IAM is account-wide.
func (*IAMRoles) Global() bool { return true }

// Collect lists the roles and describes each one.
func (*IAMRoles) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.IAM()
	var roles []iamtypes.Role
	p := iam.NewListRolesPaginator(client, &iam.ListRolesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("iam list roles: %w", err)
		}
		roles = append(roles, page.Roles...)
	}
	return docsDescribeEach(ctx, roles, s.Fanout(), func(ctx context.Context, r iamtypes.Role) (*asset.Asset, error) {
		a, err := iamDescribeRole(ctx, s, client, r)
		if err != nil {
			return nil, fmt.Errorf("iam role %s: %w", aws.ToString(r.RoleName), err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// iamDescribeRole builds the asset of one role, or nil when it was deleted
// after the listing. GetRole supplies last use and tags, which ListRoles
// leaves out.
func iamDescribeRole(ctx context.Context, s *Session, client *iam.Client, listed iamtypes.Role) (*asset.Asset, error) {
	name := listed.RoleName
	got, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: name})
	if err != nil {
		if docsIsCode(err, "NoSuchEntity") {
			return nil, nil
		}
		return nil, fmt.Errorf("get role: %w", err)
	}
	r := got.Role
	if r == nil {
		r = &listed
	}
	trust, err := docsPolicy(r.AssumeRolePolicyDocument)
	if err != nil {
		return nil, fmt.Errorf("trust policy: %w", err)
	}
	attached, err := iamRoleAttached(ctx, client, name)
	if err != nil {
		return nil, err
	}
	inline, err := iamRoleInline(ctx, client, name)
	if err != nil {
		return nil, err
	}
	lastUsed := ""
	if r.RoleLastUsed != nil {
		lastUsed = docsTime(r.RoleLastUsed.LastUsedDate)
	}
	attrs := map[string]any{
		"role_name":            aws.ToString(name),
		"role_id":              aws.ToString(r.RoleId),
		"path":                 aws.ToString(r.Path),
		"create_date":          docsTime(r.CreateDate),
		"assume_role_policy":   trust,
		"attached_policies":    attached,
		"inline_policies":      inline,
		"last_used":            lastUsed,
		"max_session_duration": docsInt32(r.MaxSessionDuration),
	}
	a := docsAsset(s, asset.TypeIAMRole, aws.ToString(r.Arn), aws.ToString(name), asset.Global, iamTags(r.Tags), attrs)
	return &a, nil
}
