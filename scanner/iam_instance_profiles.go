package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

// InstanceProfiles collects the IAM instance profiles of an account (a
// global unit, aws.iam.instance-profile) with the roles they carry.
type InstanceProfiles struct{}

// NewInstanceProfiles returns the aws.iam.instance-profile collector.
func NewInstanceProfiles() *InstanceProfiles { return &InstanceProfiles{} }

// Type returns aws.iam.instance-profile.
func (*InstanceProfiles) Type() string { return asset.TypeInstanceProfile }

// Global reports true: IAM is account-wide.
func (*InstanceProfiles) Global() bool { return true }

// Collect lists the account's instance profiles (paged
// ListInstanceProfiles; roles come with the listing, nothing per profile).
func (*InstanceProfiles) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := iam.NewListInstanceProfilesPaginator(s.IAM(), &iam.ListInstanceProfilesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("iam list instance profiles: %w", err)
		}
		for _, ip := range page.InstanceProfiles {
			out = append(out, instanceProfileAsset(s, ip))
		}
	}
	return out, nil
}

// instanceProfileAsset builds the asset of one instance profile.
func instanceProfileAsset(s *Session, ip iamtypes.InstanceProfile) asset.Asset {
	name := aws.ToString(ip.InstanceProfileName)
	roles, roleARNs := []string{}, []string{}
	for _, r := range ip.Roles {
		roles = append(roles, aws.ToString(r.RoleName))
		roleARNs = append(roleARNs, aws.ToString(r.Arn))
	}
	attrs := map[string]any{
		"instance_profile_name": name,
		"instance_profile_id":   aws.ToString(ip.InstanceProfileId),
		"path":                  aws.ToString(ip.Path),
		"create_date":           docsTime(ip.CreateDate),
		"roles":                 docsStrings(roles),
		"role_arns":             docsStrings(roleARNs),
	}
	return docsAsset(s, asset.TypeInstanceProfile, aws.ToString(ip.Arn), name, asset.Global, nil, attrs)
}
