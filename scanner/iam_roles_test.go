package scanner

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/vigil-sec/vigil/asset"
)

func TestIAMRolesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	ok(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("lambda-exec"), MaxSessionDuration: aws.Int32(7200),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)}))
	ok(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("open-trust"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}`)}))
	pol, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("logs"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"}]}`)})
	ok(pol, err)
	ok(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("lambda-exec"), PolicyArn: pol.Policy.Arn}))
	ok(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("lambda-exec"), PolicyName: aws.String("extra"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}`)}))

	got := docsCollect(t, NewIAMRoles(), s)
	arn := func(n string) string { return "arn:aws:iam::" + docsTestAccount + ":role/" + n }
	exec, open := got[arn("lambda-exec")], got[arn("open-trust")]
	if exec.ID == "" || open.ID == "" {
		t.Fatalf("roles missing; got %d roles", len(got))
	}
	for _, a := range []asset.Asset{exec, open} {
		docsHasKeys(t, a, "role_name", "role_id", "path", "create_date", "assume_role_policy",
			"attached_policies", "inline_policies", "last_used", "max_session_duration")
		docsWant(t, a, "last_used", "")
	}
	docsWant(t, exec, "role_name", "lambda-exec")
	docsWant(t, exec, "max_session_duration", int64(7200))
	docsWant(t, open, "max_session_duration", int64(3600))
	docsWant(t, exec, "assume_role_policy.statements.0.principals.0", "lambda.amazonaws.com")
	docsWant(t, open, "assume_role_policy.statements.0.principals.0", "*")
	docsWant(t, open, "assume_role_policy.statements.0.actions.0", "sts:AssumeRole")
	if l := docsList(t, exec, "attached_policies"); !reflect.DeepEqual(l, []any{aws.ToString(pol.Policy.Arn)}) {
		t.Errorf("attached_policies = %v", l)
	}
	if l := docsList(t, exec, "inline_policies"); !reflect.DeepEqual(l, []any{"extra"}) {
		t.Errorf("inline_policies = %v", l)
	}
	if l := docsList(t, open, "attached_policies"); len(l) != 0 {
		t.Errorf("open-trust attached_policies = %v", l)
	}
}
