package scanner

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestIAMUsersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	for _, name := range []string{"alice", "bob", "svc"} {
		ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name), Path: aws.String("/people/"),
			Tags: []iamtypes.Tag{{Key: aws.String("Team"), Value: aws.String(name + "-team")}}}))
	}
	// alice: console password, no MFA, two keys, inline + attached policy, a group.
	ok(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("Secr3t-pass!")}))
	k1, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	ok(k1, err)
	ok(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))
	ok(c.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"),
		AccessKeyId: k1.AccessKey.AccessKeyId, Status: iamtypes.StatusTypeInactive}))
	ok(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("inline-s3"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}`)}))
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("ops"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*"}]}`)})
	ok(pol, err)
	ok(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: pol.Policy.Arn}))
	ok(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admins")}))
	ok(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admins"), UserName: aws.String("alice")}))
	// bob: console password with a virtual MFA device.
	ok(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("An0ther-pass!")}))
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bob-mfa")})
	ok(dev, err)
	ok(c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("bob"),
		SerialNumber: dev.VirtualMFADevice.SerialNumber, AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}))

	got := docsCollect(t, NewIAMUsers(), s)
	if len(got) != 3 {
		t.Fatalf("collected %d users, want 3", len(got))
	}
	arn := func(n string) string { return "arn:aws:iam::" + docsTestAccount + ":user/people/" + n }
	alice, bob, svc := got[arn("alice")], got[arn("bob")], got[arn("svc")]
	for _, a := range []asset.Asset{alice, bob, svc} {
		docsHasKeys(t, a, "user_name", "user_id", "path", "create_date", "password_enabled", "password_last_used",
			"mfa_active", "mfa_devices", "access_keys", "inline_policies", "attached_policies", "groups")
		if a.Region != asset.Global {
			t.Errorf("%s region = %q, want global", a.Name, a.Region)
		}
		docsWant(t, a, "path", "/people/")
		docsWant(t, a, "password_last_used", "")
	}
	if alice.Name != "alice" || !reflect.DeepEqual(alice.Tags, map[string]string{"Team": "alice-team"}) {
		t.Errorf("alice identity: name %q tags %v", alice.Name, alice.Tags)
	}

	docsWant(t, alice, "password_enabled", true)
	docsWant(t, alice, "mfa_active", false)
	docsWant(t, bob, "password_enabled", true)
	docsWant(t, bob, "mfa_active", true)
	if devs := docsList(t, bob, "mfa_devices"); !reflect.DeepEqual(devs, []any{aws.ToString(dev.VirtualMFADevice.SerialNumber)}) {
		t.Errorf("bob mfa_devices = %v", devs)
	}
	docsWant(t, svc, "password_enabled", false)

	keys := docsList(t, alice, "access_keys")
	if len(keys) != 2 {
		t.Fatalf("alice has %d access keys, want 2", len(keys))
	}
	statuses := map[any]int{}
	for _, k := range keys {
		m := k.(map[string]any)
		statuses[m["status"]]++
		if m["id"] == "" || m["created"] == "" {
			t.Errorf("access key lacks id or created: %v", m)
		}
		if m["last_used"] != "" || m["last_used_service"] != "" {
			t.Errorf("unused key reports use: %v", m)
		}
	}
	if statuses["Active"] != 1 || statuses["Inactive"] != 1 {
		t.Errorf("key statuses = %v, want one Active, one Inactive", statuses)
	}
	if l := docsList(t, svc, "access_keys"); len(l) != 0 {
		t.Errorf("svc access_keys = %v", l)
	}
	if l := docsList(t, alice, "inline_policies"); !reflect.DeepEqual(l, []any{"inline-s3"}) {
		t.Errorf("inline_policies = %v", l)
	}
	if l := docsList(t, alice, "attached_policies"); !reflect.DeepEqual(l, []any{aws.ToString(pol.Policy.Arn)}) {
		t.Errorf("attached_policies = %v", l)
	}
	if l := docsList(t, alice, "groups"); !reflect.DeepEqual(l, []any{"admins"}) {
		t.Errorf("groups = %v", l)
	}
	if l := docsList(t, bob, "groups"); len(l) != 0 {
		t.Errorf("bob groups = %v", l)
	}
}

func TestIAMUsersUnexpectedErrorFailsTheUnit(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, ok := context.Background(), docsOK(t)
	ok(s.IAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u1")}))
	endpoint := docsDenyProxy(t, srv.URL, func(_ *http.Request, body string) bool {
		return strings.Contains(body, "Action=GetLoginProfile")
	})
	if _, err := NewIAMUsers().Collect(ctx, docsThrough(s, endpoint)); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("GetLoginProfile denied: err = %v, want the unit to fail with AccessDenied", err)
	}
}
