package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/vigil-sec/vigil/asset"
)

func TestIAMPoliciesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	admin, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("admin-all"), Path: aws.String("/vigil/"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`)})
	ok(admin, err)
	ro, err := c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("read-only"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)})
	ok(ro, err)
	// A second version becomes the default: the collector must read it, not v1.
	ok(c.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: ro.Policy.Arn, SetAsDefault: true,
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`)}))
	ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))
	ok(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u"), PolicyArn: admin.Policy.Arn}))

	got := docsCollect(t, NewIAMPolicies(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d policies, want the 2 customer-managed ones (AWS-managed must be skipped)", len(got))
	}
	a, r := got[aws.ToString(admin.Policy.Arn)], got[aws.ToString(ro.Policy.Arn)]
	for _, p := range []asset.Asset{a, r} {
		docsHasKeys(t, p, "policy_name", "policy_id", "path", "default_version_id", "attachment_count",
			"create_date", "update_date", "document")
	}
	docsWant(t, a, "policy_name", "admin-all")
	docsWant(t, a, "path", "/vigil/")
	docsWant(t, a, "attachment_count", int64(1))
	docsWant(t, r, "attachment_count", int64(0))
	docsWant(t, a, "document.statements.0.effect", "Allow")
	docsWant(t, a, "document.statements.0.actions.0", "*")
	docsWant(t, a, "document.statements.0.resources.0", "*")
	docsWant(t, r, "default_version_id", "v2")
	docsWant(t, r, "document.statements.0.actions.1", "s3:List*")
}
