package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/vigil-sec/vigil/scanner"
)

// s3AccountBPAState is the live state of an account's S3 Block Public Access.
type s3AccountBPAState struct {
	Account string `json:"account"`
	BPA     bpa    `json:"s3_public_access_block"`
}

// S3AccountBlockPublicAccess turns on all four account-level S3 Block Public
// Access settings.
type S3AccountBlockPublicAccess struct{}

// NewS3AccountBlockPublicAccess returns the s3-account-block-public-access action.
func NewS3AccountBlockPublicAccess() Action {
	return newAction(meta{id: "s3-account-block-public-access", undoable: true,
		describe: "turn on all four S3 Block Public Access settings for the whole account"}, S3AccountBlockPublicAccess{})
}

func (S3AccountBlockPublicAccess) read(ctx context.Context, t Target) (map[string]any, error) {
	acct := t.Asset.Account
	if acct == "" {
		return nil, fmt.Errorf("asset %s has no account", t.Asset.ID)
	}
	st := s3AccountBPAState{Account: acct}
	out, err := scanner.NewS3Control(t.Config, t.Endpoint).GetPublicAccessBlock(ctx, &s3control.GetPublicAccessBlockInput{AccountId: &acct})
	switch {
	case isCode(err, "NoSuchPublicAccessBlockConfiguration"):
	case err != nil:
		return nil, fmt.Errorf("get account public access block: %w", err)
	case out.PublicAccessBlockConfiguration != nil:
		c := out.PublicAccessBlockConfiguration
		st.BPA = bpa{Configured: true, BlockPublicAcls: aws.ToBool(c.BlockPublicAcls), IgnorePublicAcls: aws.ToBool(c.IgnorePublicAcls),
			BlockPublicPolicy: aws.ToBool(c.BlockPublicPolicy), RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets)}
	}
	return normalize(st), nil
}

func (S3AccountBlockPublicAccess) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st s3AccountBPAState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.BPA.allOn() {
		return nil, "account " + st.Account + " already blocks all S3 public access", true, nil
	}
	return []Call{call("s3control", "PutPublicAccessBlock", map[string]any{"AccountId": st.Account, "PublicAccessBlockConfiguration": allOnParams()})},
		"turn on all four S3 Block Public Access settings for account " + st.Account, false, nil
}

func (a S3AccountBlockPublicAccess) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st s3AccountBPAState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putAccountBPA(ctx, t, st.Account, bpa{true, true, true, true, true}); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (S3AccountBlockPublicAccess) undo(ctx context.Context, t Target, r *Record) error {
	var st s3AccountBPAState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Account == "" {
		return fmt.Errorf("record %s has no account in its before-state", r.ID)
	}
	if !st.BPA.Configured {
		_, err := scanner.NewS3Control(t.Config, t.Endpoint).DeletePublicAccessBlock(ctx, &s3control.DeletePublicAccessBlockInput{AccountId: &st.Account})
		if err != nil {
			return fmt.Errorf("delete account public access block: %w", err)
		}
		return nil
	}
	return putAccountBPA(ctx, t, st.Account, st.BPA)
}

func putAccountBPA(ctx context.Context, t Target, account string, c bpa) error {
	_, err := scanner.NewS3Control(t.Config, t.Endpoint).PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{AccountId: &account,
		PublicAccessBlockConfiguration: &s3ctypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(c.BlockPublicAcls),
			IgnorePublicAcls: aws.Bool(c.IgnorePublicAcls), BlockPublicPolicy: aws.Bool(c.BlockPublicPolicy),
			RestrictPublicBuckets: aws.Bool(c.RestrictPublicBuckets)}})
	if err != nil {
		return fmt.Errorf("put account public access block: %w", err)
	}
	return nil
}
