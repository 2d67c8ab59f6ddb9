package report

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
	"github.com/aws/aws-sdk-go-v2/service/securityhub/types"

	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/internal/testproxy"
	"github.com/vigil-sec/vigil/scanner"
)

// fakeHub records the batches it is sent and refuses findings whose ID
// contains "bad", as Security Hub lists invalid findings in FailedFindings.
type fakeHub struct {
	mu      sync.Mutex
	batches []int
	active  []types.AwsSecurityFinding
}

func (h *fakeHub) BatchImportFindings(_ context.Context, in *securityhub.BatchImportFindingsInput, _ ...func(*securityhub.Options)) (*securityhub.BatchImportFindingsOutput, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(in.Findings) > SecurityHubBatch {
		return nil, fmt.Errorf("batch of %d: Security Hub takes at most 100", len(in.Findings))
	}
	h.batches = append(h.batches, len(in.Findings))
	out := &securityhub.BatchImportFindingsOutput{}
	var ok int32
	for _, f := range in.Findings {
		if strings.Contains(aws.ToString(f.Id), "bad") {
			out.FailedFindings = append(out.FailedFindings, types.ImportFindingsError{Id: f.Id, ErrorCode: aws.String("InvalidInput"), ErrorMessage: aws.String("Title too long")})
			continue
		}
		ok++
	}
	out.SuccessCount, out.FailedCount = aws.Int32(ok), aws.Int32(int32(len(out.FailedFindings)))
	return out, nil
}

func (h *fakeHub) GetFindings(context.Context, *securityhub.GetFindingsInput, ...func(*securityhub.Options)) (*securityhub.GetFindingsOutput, error) {
	return &securityhub.GetFindingsOutput{Findings: h.active}, nil
}

func finding(id, account, region, state string) ASFFFinding {
	f := ASFFFinding{SchemaVersion: ASFFSchemaVersion, ID: "vigil/" + id, ProductArn: ProductArn(region, account),
		ProductName: "vigil", CompanyName: "vigil", GeneratorID: "vigil/ec2-sg-open-ssh", AwsAccountID: account, Region: region,
		Types: []string{"Software and Configuration Checks"}, CreatedAt: "2026-12-01T00:00:00Z", UpdatedAt: "2026-12-08T00:00:00Z",
		Severity: ASFFSeverity{Label: "HIGH"}, Title: "SSH open to the world", Description: "port 22 from 0.0.0.0/0",
		Resources:  []ASFFResource{{Type: "AwsEc2SecurityGroup", ID: "arn:aws:ec2:" + region + ":" + account + ":security-group/sg-" + id, Partition: "aws", Region: region}},
		Compliance: ASFFCompliance{Status: "FAILED"}, Workflow: ASFFWorkflow{Status: "NEW"}, RecordState: state}
	if state == "ARCHIVED" {
		f.Compliance.Status, f.Workflow.Status = "PASSED", "RESOLVED"
	}
	return f
}

// 250 findings go in batches of 100, 100 and 50; the one Security Hub
// refuses is named with its error and the others land; findings of an
// account vigil has no credentials for are skipped and said so.
func TestPushSecurityHubBatchesAndReportsEachFailure(t *testing.T) {
	t.Parallel()
	hub := &fakeHub{}
	var active []ASFFFinding
	for i := range 250 {
		id := fmt.Sprintf("v%03d", i)
		if i == 77 {
			id = "bad077"
		}
		active = append(active, finding(id, "111111111111", "us-east-1", "ACTIVE"))
	}
	active = append(active, finding("other", "999999999999", "us-east-1", "ACTIVE"))
	res, err := PushSecurityHub(context.Background(), func(account, _ string) (SecurityHubAPI, bool) {
		return hub, account == "111111111111"
	}, active, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(hub.batches) != "[100 100 50]" {
		t.Errorf("batches %v, want [100 100 50]", hub.batches)
	}
	if res.Imported != 249 || len(res.Failures) != 1 || res.Failures[0].FindingID != "vigil/bad077" || res.Failures[0].Code != "InvalidInput" {
		t.Errorf("result %+v: want 249 imported and vigil/bad077 failed with InvalidInput", res)
	}
	if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "999999999999") {
		t.Errorf("skipped %q: want the account without credentials named", res.Skipped)
	}
}

// Against moto's Security Hub, through a proxy that throttles every third
// request with Security Hub's own 429: every finding lands; a second push
// after a violation closed archives its finding, and a third archives
// nothing more.
func TestPushSecurityHubThrottledThenArchives(t *testing.T) {
	t.Parallel()
	srv := testmoto.Start(t)
	proxy := testproxy.Start(t, srv.URL, testproxy.Options{ThrottleEvery: 3})
	cfg := aws.Config{Region: "eu-west-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(proxy.URL), Retryer: scanner.NewRetryer}
	client := securityhub.NewFromConfig(cfg)
	hub := func(string, string) (SecurityHubAPI, bool) { return client, true }
	const account, region = "123456789012", "eu-west-1"
	var active []ASFFFinding
	for i := range 120 {
		active = append(active, finding(fmt.Sprintf("v%03d", i), account, region, "ACTIVE"))
	}
	ctx := context.Background()
	res, err := PushSecurityHub(ctx, hub, active, nil)
	if err != nil || res.Imported != 120 || len(res.Failures) != 0 {
		t.Fatalf("first push: %+v, %v; want 120 imported", res, err)
	}
	if proxy.Faults.Load() == 0 {
		t.Fatal("the proxy throttled nothing; the test proves no retry")
	}
	states := func() map[string]types.AwsSecurityFinding {
		out := map[string]types.AwsSecurityFinding{}
		p := securityhub.NewGetFindingsPaginator(securityhub.NewFromConfig(aws.Config{Region: region,
			Credentials: cfg.Credentials, BaseEndpoint: aws.String(srv.URL)}), &securityhub.GetFindingsInput{MaxResults: aws.Int32(100)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatalf("get-findings: %v", err)
			}
			for _, f := range page.Findings {
				out[aws.ToString(f.Id)] = f
			}
		}
		return out
	}
	got := states()
	if len(got) != 120 {
		t.Fatalf("Security Hub holds %d findings, want 120", len(got))
	}
	f := got["vigil/v007"]
	if f.RecordState != types.RecordStateActive || f.Compliance == nil || f.Compliance.Status != types.ComplianceStatusFailed ||
		len(f.Resources) != 1 || !strings.HasSuffix(aws.ToString(f.Resources[0].Id), "security-group/sg-v007") {
		t.Errorf("finding vigil/v007 as stored: state %s, compliance %+v, resources %+v", f.RecordState, f.Compliance, f.Resources)
	}

	// v007 and v008 closed; v050 closed long ago and was never active in
	// Security Hub under this product (it is still archived if it shows up
	// active, and only then).
	closed := []ASFFFinding{finding("v007", account, region, "ARCHIVED"), finding("v008", account, region, "ARCHIVED")}
	var still []ASFFFinding
	for _, a := range active {
		if a.ID != "vigil/v007" && a.ID != "vigil/v008" {
			still = append(still, a)
		}
	}
	res, err = PushSecurityHub(ctx, hub, still, closed)
	if err != nil || res.Archived != 2 || res.Imported != 118 {
		t.Fatalf("second push: %+v, %v; want 118 imported, 2 archived", res, err)
	}
	got = states()
	for id, want := range map[string]types.RecordState{"vigil/v007": types.RecordStateArchived, "vigil/v008": types.RecordStateArchived, "vigil/v009": types.RecordStateActive} {
		if got[id].RecordState != want {
			t.Errorf("%s is %s after the second push, want %s", id, got[id].RecordState, want)
		}
	}
	res, err = PushSecurityHub(ctx, hub, still, closed)
	if err != nil || res.Archived != 0 {
		t.Errorf("third push: %+v, %v; the closed findings were archived already, want 0 archived", res, err)
	}
}
