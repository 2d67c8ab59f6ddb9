package scanner

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// lambdaTestZip is a minimal deployment package.
func lambdaTestZip(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	f, err := zw.Create("app.py")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("def handler(event, context):\n    return 1\n")); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLambdaFunctionsAgainstMoto(t *testing.T) {
	const secret = "hunter2-DO-NOT-LEAK-7f3a9c"
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "eu-west-1")
	ctx, ok := context.Background(), docsOK(t)
	role, err := s.IAM().CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("fn-role"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow",` +
			`"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`)})
	ok(role, err)
	c, code := s.Lambda(), lambdaTestZip(t)
	ok(c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("legacy"), Runtime: lambdatypes.RuntimePython37,
		Role: role.Role.Arn, Handler: aws.String("app.handler"), Code: &lambdatypes.FunctionCode{ZipFile: code},
		MemorySize: aws.Int32(256), Timeout: aws.Int32(30), Tags: map[string]string{"Owner": "team-a"},
		Environment: &lambdatypes.Environment{Variables: map[string]string{"DB_PASSWORD": secret, "STAGE": "prod"}}}))
	ok(c.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("legacy"), StatementId: aws.String("public"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("*")}))
	ok(c.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("modern"), Runtime: lambdatypes.RuntimePython312,
		Role: role.Role.Arn, Handler: aws.String("app.handler"), Code: &lambdatypes.FunctionCode{ZipFile: code},
		Tags: map[string]string{"Name": "Checkout API"}}))

	got := docsCollect(t, NewLambdaFunctions(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d functions, want 2", len(got))
	}
	arn := func(n string) string { return "arn:aws:lambda:eu-west-1:" + docsTestAccount + ":function:" + n }
	legacy, modern := got[arn("legacy")], got[arn("modern")]
	if legacy.ID == "" || modern.ID == "" {
		t.Fatalf("function IDs are not the ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "function_name", "runtime", "handler", "role", "last_modified", "memory_size",
			"timeout", "environment_keys", "policy", "vpc_id")
		if a.Region != "eu-west-1" {
			t.Errorf("%s region = %q", a.Name, a.Region)
		}
		if lm := docsGet(t, a, "last_modified").(string); !strings.HasSuffix(lm, "Z") {
			t.Errorf("%s last_modified %q is not RFC3339 UTC", a.Name, lm)
		}
	}
	if legacy.Name != "legacy" || modern.Name != "Checkout API" {
		t.Errorf("names = %q, %q; want the function name, else the Name tag", legacy.Name, modern.Name)
	}
	docsWant(t, legacy, "function_name", "legacy")
	docsWant(t, legacy, "runtime", "python3.7")
	docsWant(t, modern, "runtime", "python3.12")
	docsWant(t, legacy, "handler", "app.handler")
	docsWant(t, legacy, "role", aws.ToString(role.Role.Arn))
	docsWant(t, legacy, "memory_size", int64(256))
	docsWant(t, legacy, "timeout", int64(30))
	docsWant(t, legacy, "vpc_id", "")
	if !reflect.DeepEqual(legacy.Tags, map[string]string{"Owner": "team-a"}) {
		t.Errorf("tags = %v", legacy.Tags)
	}
	if keys := docsList(t, legacy, "environment_keys"); !reflect.DeepEqual(keys, []any{"DB_PASSWORD", "STAGE"}) {
		t.Errorf("environment_keys = %v", keys)
	}
	if keys := docsList(t, modern, "environment_keys"); len(keys) != 0 {
		t.Errorf("modern environment_keys = %v", keys)
	}
	docsWant(t, legacy, "policy.statements.0.principals.0", "*")
	docsWant(t, legacy, "policy.statements.0.actions.0", "lambda:InvokeFunction")
	if p := docsGet(t, modern, "policy"); p != nil {
		t.Errorf("function without resource policy: policy = %v, want null", p)
	}

	// The secret value must not be anywhere in what vigil keeps.
	for _, a := range got {
		b, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("asset %s leaks an environment value: %s", a.Name, b)
		}
	}
}
