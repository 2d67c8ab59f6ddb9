package scanner

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/internal/testmoto"
)

func TestCallerAccountWithoutCredentialsSaysWhatToSet(t *testing.T) {
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_REGION", "AWS_DEFAULT_REGION"} {
		t.Setenv(k, "")
	}
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	ctx := context.Background()
	cfg, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatalf("LoadAWSConfig: %v", err)
	}
	if cfg.Region != "us-east-1" {
		t.Errorf("region = %q, want the us-east-1 default", cfg.Region)
	}
	if cfg.Retryer == nil || cfg.Retryer().MaxAttempts() != retryMaxAttempts {
		t.Errorf("clients do not get the scanner's retryer (%d attempts)", retryMaxAttempts)
	}
	_, err = CallerAccount(ctx, cfg)
	if !errors.Is(err, ErrNoCredentials) {
		t.Fatalf("CallerAccount error = %v, want ErrNoCredentials", err)
	}
	if !strings.Contains(err.Error(), "set AWS_PROFILE") || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Errorf("error %q does not say what to set", err)
	}
}

func TestResolveTargetsReachesTheDefaultAndAssumedAccounts(t *testing.T) {
	srv := testmoto.Start(t)
	srv.Setenv(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	targets, err := ResolveTargets(ctx, base, []config.Account{
		{Name: "prod", RoleARN: fxRole2, ExternalID: "ext-1", SessionName: "audit"},
		{RoleARN: "arn:aws:iam::333333333333:role/other"},
	})
	if err != nil {
		t.Fatalf("ResolveTargets: %v", err)
	}
	want := []struct{ account, name string }{{fxAccount1, fxAccount1}, {fxAccount2, "prod"}, {"333333333333", "333333333333"}}
	if len(targets) != len(want) {
		t.Fatalf("%d targets, want %d", len(targets), len(want))
	}
	for i, w := range want {
		if targets[i].Account != w.account || targets[i].Name != w.name {
			t.Errorf("target %d = %s %q, want %s %q", i, targets[i].Account, targets[i].Name, w.account, w.name)
		}
		// The credentials really reach that account.
		got, err := CallerAccount(ctx, targets[i].Config)
		if err != nil || got != w.account {
			t.Errorf("target %d credentials reach %q (%v), want %s", i, got, err, w.account)
		}
	}

	if _, err := ResolveTargets(ctx, base, []config.Account{{Name: "typo", RoleARN: "arn:aws:iam::222222222222:user/bob"}}); err == nil || !strings.Contains(err.Error(), "typo") {
		t.Errorf("a user ARN as role_arn: error = %v, want one naming the account", err)
	}
}
