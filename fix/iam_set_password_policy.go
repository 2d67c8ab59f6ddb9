package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// passwordPolicy is the account password policy as a fix state keeps it.
type passwordPolicy struct {
	Present            bool  `json:"present"`
	MinimumLength      int32 `json:"minimum_length"`
	RequireSymbols     bool  `json:"require_symbols"`
	RequireNumbers     bool  `json:"require_numbers"`
	RequireUppercase   bool  `json:"require_uppercase"`
	RequireLowercase   bool  `json:"require_lowercase"`
	AllowUsersToChange bool  `json:"allow_users_to_change"`
	MaxAgeDays         int32 `json:"max_age_days"`
	ReusePrevention    int32 `json:"reuse_prevention"`
	HardExpiry         bool  `json:"hard_expiry"`
}

// passwordState is an account's password policy.
type passwordState struct {
	Account string         `json:"account"`
	Policy  passwordPolicy `json:"password_policy"`
}

// IAMSetPasswordPolicy sets the account password policy to the CIS values
// (length 14, reuse 24, symbols/numbers/upper/lower, users may change,
// max age 90), never weakening a stricter existing setting; the policy's
// min_length and reuse_prevention params raise the floors.
type IAMSetPasswordPolicy struct{}

// NewIAMSetPasswordPolicy returns the iam-set-password-policy action.
func NewIAMSetPasswordPolicy() Action {
	return newAction(meta{id: "iam-set-password-policy", undoable: true,
		describe: "set the account password policy to the CIS values without weakening stricter settings"}, IAMSetPasswordPolicy{})
}

func (IAMSetPasswordPolicy) read(ctx context.Context, t Target) (map[string]any, error) {
	st := passwordState{Account: t.Asset.Account}
	out, err := iam.NewFromConfig(t.Config).GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	switch {
	case isCode(err, "NoSuchEntity"):
	case err != nil:
		return nil, fmt.Errorf("get account password policy: %w", err)
	case out.PasswordPolicy != nil:
		p := out.PasswordPolicy
		st.Policy = passwordPolicy{Present: true, MinimumLength: aws.ToInt32(p.MinimumPasswordLength), RequireSymbols: p.RequireSymbols,
			RequireNumbers: p.RequireNumbers, RequireUppercase: p.RequireUppercaseCharacters, RequireLowercase: p.RequireLowercaseCharacters,
			AllowUsersToChange: p.AllowUsersToChangePassword, MaxAgeDays: aws.ToInt32(p.MaxPasswordAge),
			ReusePrevention: aws.ToInt32(p.PasswordReusePrevention), HardExpiry: aws.ToBool(p.HardExpiry)}
	}
	return normalize(st), nil
}

// target returns the policy the fix sets: CIS floors, params, and anything
// stricter already in place.
func (st passwordState) target(params map[string]any) passwordPolicy {
	minLen, reuse := int64(14), int64(24)
	if n, ok := paramInt(params, "min_length"); ok && n > minLen {
		minLen = n
	}
	if n, ok := paramInt(params, "reuse_prevention"); ok && n > reuse {
		reuse = n
	}
	cur := st.Policy
	out := passwordPolicy{Present: true, MinimumLength: max(int32(minLen), cur.MinimumLength), RequireSymbols: true, RequireNumbers: true,
		RequireUppercase: true, RequireLowercase: true, AllowUsersToChange: true, MaxAgeDays: 90,
		ReusePrevention: int32(min(max(reuse, int64(cur.ReusePrevention)), 24)), // AWS allows at most 24
		HardExpiry:      cur.HardExpiry}
	if cur.Present && cur.MaxAgeDays > 0 && cur.MaxAgeDays < 90 {
		out.MaxAgeDays = cur.MaxAgeDays
	}
	return out
}

func (p passwordPolicy) params() map[string]any {
	return map[string]any{"MinimumPasswordLength": p.MinimumLength, "RequireSymbols": p.RequireSymbols, "RequireNumbers": p.RequireNumbers,
		"RequireUppercaseCharacters": p.RequireUppercase, "RequireLowercaseCharacters": p.RequireLowercase,
		"AllowUsersToChangePassword": p.AllowUsersToChange, "MaxPasswordAge": p.MaxAgeDays,
		"PasswordReusePrevention": p.ReusePrevention, "HardExpiry": p.HardExpiry}
}

func (IAMSetPasswordPolicy) plan(t Target, live map[string]any) ([]Call, string, bool, error) {
	var st passwordState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	want := st.target(t.Params)
	if want == st.Policy {
		return nil, "the account password policy already meets the CIS values", true, nil
	}
	return []Call{call("iam", "UpdateAccountPasswordPolicy", want.params())},
		fmt.Sprintf("set the password policy of account %s (min length %d, reuse %d, max age %d days, all character classes)",
			st.Account, want.MinimumLength, want.ReusePrevention, want.MaxAgeDays), false, nil
}

func (a IAMSetPasswordPolicy) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st passwordState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putPasswordPolicy(ctx, t, st.target(t.Params)); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (IAMSetPasswordPolicy) undo(ctx context.Context, t Target, r *Record) error {
	var st passwordState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if !st.Policy.Present {
		if _, err := iam.NewFromConfig(t.Config).DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}); err != nil {
			return fmt.Errorf("delete account password policy: %w", err)
		}
		return nil
	}
	return putPasswordPolicy(ctx, t, st.Policy)
}

func putPasswordPolicy(ctx context.Context, t Target, p passwordPolicy) error {
	in := &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(p.MinimumLength), RequireSymbols: p.RequireSymbols,
		RequireNumbers: p.RequireNumbers, RequireUppercaseCharacters: p.RequireUppercase, RequireLowercaseCharacters: p.RequireLowercase,
		AllowUsersToChangePassword: p.AllowUsersToChange, HardExpiry: aws.Bool(p.HardExpiry)}
	if p.MaxAgeDays > 0 {
		in.MaxPasswordAge = aws.Int32(p.MaxAgeDays)
	}
	if p.ReusePrevention > 0 {
		in.PasswordReusePrevention = aws.Int32(p.ReusePrevention)
	}
	if _, err := iam.NewFromConfig(t.Config).UpdateAccountPasswordPolicy(ctx, in); err != nil {
		return fmt.Errorf("update account password policy: %w", err)
	}
	return nil
}
