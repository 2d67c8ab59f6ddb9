package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/vigil-sec/vigil/config"
)

// defaultSessionName names assumed-role sessions when the config gives none,
// so CloudTrail shows who was looking.
const defaultSessionName = "vigil-scan"

// Target is one account to scan: its ID, a display name, and a config whose
// credentials reach it.
type Target struct {
	Account string
	Name    string
	Config  aws.Config
}

// ResolveTargets returns the default-chain account followed by every
// configured assume-role account. The base account's ID comes from STS; an
// assumed account's ID from its role ARN.
func ResolveTargets(ctx context.Context, base aws.Config, extra []config.Account) ([]Target, error) {
	id, err := CallerAccount(ctx, base)
	if err != nil {
		return nil, err
	}
	targets := []Target{{Account: id, Name: id, Config: base}}
	for _, a := range extra {
		t, err := AssumeTarget(base, a)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	return targets, nil
}

// AssumeTarget builds the target reached by assuming a.RoleARN from base's
// credentials (with the external ID and session name when set). Credentials
// are fetched lazily and cached until they expire.
func AssumeTarget(base aws.Config, a config.Account) (Target, error) {
	parsed, err := arn.Parse(a.RoleARN)
	if err != nil || parsed.Service != "iam" || !strings.HasPrefix(parsed.Resource, "role/") {
		return Target{}, fmt.Errorf("account %q: role_arn %q is not an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", a.Name, a.RoleARN)
	}
	session := a.SessionName
	if session == "" {
		session = defaultSessionName
	}
	provider := stscreds.NewAssumeRoleProvider(sts.NewFromConfig(base), a.RoleARN, func(o *stscreds.AssumeRoleOptions) {
		o.RoleSessionName = session
		if a.ExternalID != "" {
			o.ExternalID = aws.String(a.ExternalID)
		}
	})
	cfg := base.Copy()
	cfg.Credentials = aws.NewCredentialsCache(provider)
	name := a.Name
	if name == "" {
		name = parsed.AccountID
	}
	return Target{Account: parsed.AccountID, Name: name, Config: cfg}, nil
}
