package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

// IAMUsers collects the IAM users of an account (a global unit): login
// profile, access keys with their last use, MFA devices, policies, groups.
type IAMUsers struct{}

// NewIAMUsers returns the aws.iam.user collector.
func NewIAMUsers() *IAMUsers { return &IAMUsers{} }

// Type returns asset.TypeIAMUser.
func (*IAMUsers) Type() string { return asset.TypeIAMUser }

// Global reports true: IAM is account-wide.
func (*IAMUsers) Global() bool { return true }

// Collect lists the users and describes each one.
func (*IAMUsers) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.IAM()
	var users []iamtypes.User
	p := iam.NewListUsersPaginator(client, &iam.ListUsersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("iam list users: %w", err)
		}
		users = append(users, page.Users...)
	}
	return docsDescribeEach(ctx, users, s.Fanout(), func(ctx context.Context, u iamtypes.User) (*asset.Asset, error) {
		a, err := iamDescribeUser(ctx, s, client, u)
		switch {
		case err == nil:
			return &a, nil
		case docsIsCode(err, "NoSuchEntity"):
			return nil, nil // deleted while we looked: it is simply gone
		}
		return nil, fmt.Errorf("iam user %s: %w", aws.ToString(u.UserName), err)
	})
}

// iamDescribeUser builds the asset of one user. A NoSuchEntity error other
// than the missing login profile means the user was deleted meanwhile.
func iamDescribeUser(ctx context.Context, s *Session, client *iam.Client, u iamtypes.User) (asset.Asset, error) {
	name := u.UserName
	var a asset.Asset
	passwordEnabled := true
	if _, err := client.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: name}); err != nil {
		if !docsIsCode(err, "NoSuchEntity") {
			return a, fmt.Errorf("get login profile: %w", err)
		}
		passwordEnabled = false
	}
	keys, err := iamUserKeys(ctx, client, name)
	if err != nil {
		return a, err
	}
	mfa, err := iamUserMFA(ctx, client, name)
	if err != nil {
		return a, err
	}
	inline, err := iamUserInline(ctx, client, name)
	if err != nil {
		return a, err
	}
	attached, err := iamUserAttached(ctx, client, name)
	if err != nil {
		return a, err
	}
	groups, err := iamUserGroups(ctx, client, name)
	if err != nil {
		return a, err
	}
	tags, err := iamUserTags(ctx, client, name)
	if err != nil {
		return a, err
	}
	attrs := map[string]any{
		"user_name":          aws.ToString(name),
		"user_id":            aws.ToString(u.UserId),
		"path":               aws.ToString(u.Path),
		"create_date":        docsTime(u.CreateDate),
		"password_enabled":   passwordEnabled,
		"password_last_used": docsTime(u.PasswordLastUsed),
		"mfa_active":         len(mfa) > 0,
		"mfa_devices":        mfa,
		"access_keys":        keys,
		"inline_policies":    inline,
		"attached_policies":  attached,
		"groups":             groups,
	}
	return docsAsset(s, asset.TypeIAMUser, aws.ToString(u.Arn), aws.ToString(name), asset.Global, tags, attrs), nil
}

// iamUserKeys lists a user's access keys with when and where each was last
// used ("" when never).
func iamUserKeys(ctx context.Context, client *iam.Client, user *string) ([]any, error) {
	keys := []any{}
	p := iam.NewListAccessKeysPaginator(client, &iam.ListAccessKeysInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list access keys: %w", err)
		}
		for _, k := range page.AccessKeyMetadata {
			lu, err := client.GetAccessKeyLastUsed(ctx, &iam.GetAccessKeyLastUsedInput{AccessKeyId: k.AccessKeyId})
			if err != nil {
				return nil, fmt.Errorf("get access key last used %s: %w", aws.ToString(k.AccessKeyId), err)
			}
			lastUsed, service := "", ""
			if l := lu.AccessKeyLastUsed; l != nil {
				lastUsed = docsTime(l.LastUsedDate)
				if svc := aws.ToString(l.ServiceName); svc != "N/A" {
					service = svc
				}
			}
			keys = append(keys, map[string]any{
				"id":                aws.ToString(k.AccessKeyId),
				"status":            string(k.Status),
				"created":           docsTime(k.CreateDate),
				"last_used":         lastUsed,
				"last_used_service": service,
			})
		}
	}
	return keys, nil
}

// iamUserMFA lists the serial numbers of a user's MFA devices.
func iamUserMFA(ctx context.Context, client *iam.Client, user *string) ([]any, error) {
	serials := []any{}
	p := iam.NewListMFADevicesPaginator(client, &iam.ListMFADevicesInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list mfa devices: %w", err)
		}
		for _, d := range page.MFADevices {
			serials = append(serials, aws.ToString(d.SerialNumber))
		}
	}
	return serials, nil
}

// iamUserGroups lists the names of a user's groups.
func iamUserGroups(ctx context.Context, client *iam.Client, user *string) ([]any, error) {
	groups := []any{}
	p := iam.NewListGroupsForUserPaginator(client, &iam.ListGroupsForUserInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list groups for user: %w", err)
		}
		for _, g := range page.Groups {
			groups = append(groups, aws.ToString(g.GroupName))
		}
	}
	return groups, nil
}

// iamUserTags reads a user's tags (ListUsers does not return them).
func iamUserTags(ctx context.Context, client *iam.Client, user *string) (map[string]string, error) {
	var tags []iamtypes.Tag
	p := iam.NewListUserTagsPaginator(client, &iam.ListUserTagsInput{UserName: user})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list user tags: %w", err)
		}
		tags = append(tags, page.Tags...)
	}
	return iamTags(tags), nil
}
