package scanner

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	s3ctypes "github.com/aws/aws-sdk-go-v2/service/s3control/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestAccountAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global, "us-east-1", "eu-west-1")
	ctx, c, ok := context.Background(), s.IAM(), docsOK(t)
	for _, u := range []string{"alice", "bob"} {
		ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(u)}))
	}
	collector := &Account{report: reportWait{interval: 10 * time.Millisecond, timeout: 10 * time.Second}}
	collect := func() asset.Asset {
		t.Helper()
		got := docsCollect(t, collector, s)
		a, found := got[asset.AccountID(docsTestAccount)]
		if len(got) != 1 || !found {
			t.Fatalf("account assets = %v, want one %s", got, asset.AccountID(docsTestAccount))
		}
		docsHasKeys(t, a, "account_id", "alias", "root", "password_policy", "ebs_default_encryption",
			"s3_public_access_block", "credential_report_users")
		return a
	}

	// Bare account: nothing configured.
	bare := collect()
	if bare.Name != docsTestAccount || bare.Region != asset.Global {
		t.Errorf("bare account name/region = %q/%q", bare.Name, bare.Region)
	}
	docsWant(t, bare, "account_id", docsTestAccount)
	docsWant(t, bare, "alias", "")
	docsWant(t, bare, "password_policy.present", false)
	docsWant(t, bare, "password_policy.minimum_length", int64(0))
	docsWant(t, bare, "s3_public_access_block.configured", false)
	docsWant(t, bare, "s3_public_access_block.block_public_acls", false)
	docsWant(t, bare, "ebs_default_encryption.us-east-1", false)
	docsWant(t, bare, "ebs_default_encryption.eu-west-1", false)
	docsWant(t, bare, "root.mfa_enabled", false)
	docsWant(t, bare, "root.access_keys_present", false)
	docsWant(t, bare, "root.usage_known", false) // moto's credential report has no root row
	docsWant(t, bare, "root.password_last_used", "")
	docsWant(t, bare, "credential_report_users", int64(2))

	// Hardened twin.
	ok(c.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("vigil-prod")}))
	ok(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true,
		MaxPasswordAge: aws.Int32(90), PasswordReusePrevention: aws.Int32(24), HardExpiry: aws.Bool(false)}))
	ok(s.EC2In("us-east-1").EnableEbsEncryptionByDefault(ctx, &ec2.EnableEbsEncryptionByDefaultInput{}))
	ok(s.S3Control().PutPublicAccessBlock(ctx, &s3control.PutPublicAccessBlockInput{AccountId: aws.String(docsTestAccount),
		PublicAccessBlockConfiguration: &s3ctypes.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true),
			IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
	ok(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))

	hard := collect()
	if hard.Name != "vigil-prod" {
		t.Errorf("name = %q, want the alias", hard.Name)
	}
	docsWant(t, hard, "alias", "vigil-prod")
	docsWant(t, hard, "password_policy.present", true)
	docsWant(t, hard, "password_policy.minimum_length", int64(14))
	docsWant(t, hard, "password_policy.require_symbols", true)
	docsWant(t, hard, "password_policy.require_numbers", true)
	docsWant(t, hard, "password_policy.require_uppercase", true)
	docsWant(t, hard, "password_policy.require_lowercase", true)
	docsWant(t, hard, "password_policy.allow_users_to_change", true)
	docsWant(t, hard, "password_policy.max_age_days", int64(90))
	docsWant(t, hard, "password_policy.reuse_prevention", int64(24))
	docsWant(t, hard, "password_policy.hard_expiry", false)
	docsWant(t, hard, "ebs_default_encryption.us-east-1", true)
	docsWant(t, hard, "ebs_default_encryption.eu-west-1", false)
	docsWant(t, hard, "s3_public_access_block.configured", true)
	for _, k := range []string{"block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"} {
		docsWant(t, hard, "s3_public_access_block."+k, true)
	}
	docsWant(t, hard, "credential_report_users", int64(3))
}

func TestAccountCountReportUsers(t *testing.T) {
	csv := "user,arn,user_creation_time\n<root_account>,arn:aws:iam::1:root,2020\nalice,arn:aws:iam::1:user/alice,2021\nbob,arn:aws:iam::1:user/bob,2022\n"
	n, err := accountCountReportUsers([]byte(csv))
	if err != nil || n != 2 {
		t.Errorf("count = %d, %v; want 2 (root excluded)", n, err)
	}
	if n, err := accountCountReportUsers(nil); err != nil || n != 0 {
		t.Errorf("empty report = %d, %v", n, err)
	}
}

func TestAccountCredentialReportWaitIsBounded(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	var polls atomic.Int64
	// A proxy that keeps answering "STARTED": the report never completes.
	stuck := docsStuckReport(t, srv.URL, &polls)
	collector := &Account{report: reportWait{interval: 20 * time.Millisecond, timeout: 300 * time.Millisecond}}
	_, err := collector.Collect(context.Background(), docsThrough(s, stuck))
	if err == nil || !strings.Contains(err.Error(), "credential report not ready") {
		t.Fatalf("err = %v, want the unit to fail with the report not ready", err)
	}
	if polls.Load() < 3 {
		t.Errorf("polled %d times in 300ms at 20ms, want it to keep polling until the bound", polls.Load())
	}
}

// docsStuckReport answers GenerateCredentialReport with STARTED forever and
// forwards everything else to next.
func docsStuckReport(t *testing.T, next string, polls *atomic.Int64) string {
	t.Helper()
	target, err := url.Parse(next)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(target)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		if strings.Contains(string(body), "Action=GenerateCredentialReport") {
			polls.Add(1)
			w.Header().Set("Content-Type", "text/xml")
			fmt.Fprint(w, `<GenerateCredentialReportResponse><GenerateCredentialReportResult><State>STARTED</State>`+
				`<Description>No report exists. Starting a new report generation task</Description>`+
				`</GenerateCredentialReportResult><ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GenerateCredentialReportResponse>`)
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
