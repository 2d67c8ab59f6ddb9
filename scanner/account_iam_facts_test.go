package scanner

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestAccountIAMFactsAgainstMoto(t *testing.T) {
	// moto loads the AWS-managed policies (AWSSupportAccess...) only when
	// asked; the server inherits this environment.
	t.Setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global, "us-east-1")
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	collector := &Account{report: reportWait{interval: 10 * time.Millisecond, timeout: 10 * time.Second}}
	collect := func() asset.Asset {
		t.Helper()
		return docsCollect(t, collector, s)[asset.AccountID(docsTestAccount)]
	}
	bare := collect()
	docsHasKeys(t, bare, "support_access", "cloudshell_full_access")
	docsWant(t, bare, "root.virtual_mfa", false)
	if n := len(docsList(t, bare, "support_access.roles")); n != 0 {
		t.Errorf("bare account: %d roles hold AWSSupportAccess", n)
	}

	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	ok(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("support"), AssumeRolePolicyDocument: aws.String(trust)}))
	ok(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("support"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess")}))
	ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("dev")}))
	ok(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("dev"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSCloudShellFullAccess")}))
	// a user's virtual MFA device is not the root's
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("dev-phone")})
	ok(dev, err)
	ok(c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("dev"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}))

	a := collect()
	docsWant(t, a, "root.virtual_mfa", false)
	if got := docsGet(t, a, "support_access"); !reflect.DeepEqual(got, map[string]any{"roles": []any{"support"}, "users": []any{}, "groups": []any{}}) {
		t.Errorf("support_access = %v, want the support role only", got)
	}
	if got := docsGet(t, a, "cloudshell_full_access"); !reflect.DeepEqual(got, map[string]any{"roles": []any{}, "users": []any{"dev"}, "groups": []any{}}) {
		t.Errorf("cloudshell_full_access = %v, want user dev only", got)
	}
}

func TestRootMFADevice(t *testing.T) {
	t.Parallel()
	cases := []struct {
		d    iamtypes.VirtualMFADevice
		want bool
	}{
		{iamtypes.VirtualMFADevice{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/root-account-mfa-device"),
			User: &iamtypes.User{Arn: aws.String("arn:aws:iam::123456789012:root")}}, true},
		{iamtypes.VirtualMFADevice{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/root-account-mfa-device")}, true},
		{iamtypes.VirtualMFADevice{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/dev-phone"),
			User: &iamtypes.User{Arn: aws.String("arn:aws:iam::123456789012:user/dev")}}, false},
		{iamtypes.VirtualMFADevice{}, false},
	}
	for i, c := range cases {
		if got := rootMFADevice(c.d); got != c.want {
			t.Errorf("case %d: rootMFADevice = %t, want %t", i, got, c.want)
		}
	}
}
