package scanner

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3control"

	"github.com/vigil-sec/vigil/asset"
)

// Account collects one aws.account asset per account: alias, root MFA
// (virtual or not), keys and last use, password policy, EBS default encryption in
// every scanned region, account-level S3 Block Public Access, the
// credential report's size and who holds AWSSupportAccess and
// AWSCloudShellFullAccess.
type Account struct {
	report reportWait
}

// NewAccount returns the aws.account collector.
func NewAccount() *Account { return &Account{report: defaultReportWait()} }

// Type returns asset.TypeAccount.
func (*Account) Type() string { return asset.TypeAccount }

// Global reports true: one asset per account.
func (*Account) Global() bool { return true }

// Collect reads the account-wide settings. The credential report is
// generated and fetched once here, that is once per account per scan.
func (c *Account) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.IAM()
	alias, err := accountAlias(ctx, client)
	if err != nil {
		return nil, err
	}
	root, err := accountRoot(ctx, client)
	if err != nil {
		return nil, err
	}
	pw, err := accountPasswordPolicy(ctx, client)
	if err != nil {
		return nil, err
	}
	ebs, err := accountEBSDefaults(ctx, s)
	if err != nil {
		return nil, err
	}
	pab, err := accountPublicAccessBlock(ctx, s)
	if err != nil {
		return nil, err
	}
	report, err := accountCredentialReport(ctx, client, c.report)
	if err != nil {
		return nil, err
	}
	users, err := accountCountReportUsers(report)
	if err != nil {
		return nil, err
	}
	if err := accountRootUsage(report, root); err != nil {
		return nil, err
	}
	if root["virtual_mfa"], err = accountRootVirtualMFA(ctx, client); err != nil {
		return nil, err
	}
	support, err := accountPolicyEntities(ctx, s, client, policySupportAccess)
	if err != nil {
		return nil, err
	}
	cloudShell, err := accountPolicyEntities(ctx, s, client, policyCloudShellAdmin)
	if err != nil {
		return nil, err
	}
	name := alias
	if name == "" {
		name = s.Account
	}
	attrs := map[string]any{
		"account_id":              s.Account,
		"alias":                   alias,
		"root":                    root,
		"password_policy":         pw,
		"ebs_default_encryption":  ebs,
		"s3_public_access_block":  pab,
		"credential_report_users": users,
		"support_access":          support,
		"cloudshell_full_access":  cloudShell,
	}
	return []asset.Asset{docsAsset(s, asset.TypeAccount, asset.AccountID(s.Account), name, asset.Global, nil, attrs)}, nil
}

// accountAlias returns the account's alias ("" when none).
func accountAlias(ctx context.Context, client *iam.Client) (string, error) {
	out, err := client.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil {
		return "", fmt.Errorf("iam list account aliases: %w", err)
	}
	if len(out.AccountAliases) == 0 {
		return "", nil
	}
	return out.AccountAliases[0], nil
}

// accountRoot reads root MFA and root access keys from the account summary.
func accountRoot(ctx context.Context, client *iam.Client) (map[string]any, error) {
	out, err := client.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return nil, fmt.Errorf("iam get account summary: %w", err)
	}
	return map[string]any{
		"mfa_enabled":         out.SummaryMap["AccountMFAEnabled"] > 0,
		"access_keys_present": out.SummaryMap["AccountAccessKeysPresent"] > 0,
	}, nil
}

// accountPasswordPolicy reads the password policy (present false and zeros
// when none is set).
func accountPasswordPolicy(ctx context.Context, client *iam.Client) (map[string]any, error) {
	doc := map[string]any{
		"present": false, "minimum_length": int64(0), "require_symbols": false, "require_numbers": false,
		"require_uppercase": false, "require_lowercase": false, "allow_users_to_change": false,
		"max_age_days": int64(0), "reuse_prevention": int64(0), "hard_expiry": false,
	}
	out, err := client.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		if docsIsCode(err, "NoSuchEntity") {
			return doc, nil
		}
		return nil, fmt.Errorf("iam get account password policy: %w", err)
	}
	if p := out.PasswordPolicy; p != nil {
		doc = map[string]any{
			"present":               true,
			"minimum_length":        docsInt32(p.MinimumPasswordLength),
			"require_symbols":       p.RequireSymbols,
			"require_numbers":       p.RequireNumbers,
			"require_uppercase":     p.RequireUppercaseCharacters,
			"require_lowercase":     p.RequireLowercaseCharacters,
			"allow_users_to_change": p.AllowUsersToChangePassword,
			"max_age_days":          docsInt32(p.MaxPasswordAge),
			"reuse_prevention":      docsInt32(p.PasswordReusePrevention),
			"hard_expiry":           docsBool(p.HardExpiry),
		}
	}
	return doc, nil
}

// accountEBSDefaults reads EBS encryption-by-default in every scanned
// region, concurrently.
func accountEBSDefaults(ctx context.Context, s *Session) (map[string]any, error) {
	var mu sync.Mutex
	doc := make(map[string]any, len(s.Regions))
	err := docsParallel(ctx, len(s.Regions), 8, func(ctx context.Context, i int) error {
		region := s.Regions[i]
		out, err := s.EC2In(region).GetEbsEncryptionByDefault(ctx, &ec2.GetEbsEncryptionByDefaultInput{})
		if err != nil {
			return fmt.Errorf("ec2 get ebs encryption by default in %s: %w", region, err)
		}
		mu.Lock()
		doc[region] = docsBool(out.EbsEncryptionByDefault)
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// accountPublicAccessBlock reads account-level S3 Block Public Access.
func accountPublicAccessBlock(ctx context.Context, s *Session) (map[string]any, error) {
	out, err := s.S3Control().GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: aws.String(s.Account)})
	if err != nil {
		if docsIsCode(err, "NoSuchPublicAccessBlockConfiguration") {
			return s3PABDoc(false, nil, nil, nil, nil), nil
		}
		return nil, fmt.Errorf("s3control get public access block: %w", err)
	}
	c := out.PublicAccessBlockConfiguration
	if c == nil {
		return s3PABDoc(true, nil, nil, nil, nil), nil
	}
	return s3PABDoc(true, c.BlockPublicAcls, c.IgnorePublicAcls, c.BlockPublicPolicy, c.RestrictPublicBuckets), nil
}
