package scanner

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/awsapi"
	"github.com/vigil-sec/vigil/internal/testproxy"
)

// budgetEnv seeds moto with a few buckets and IAM users and returns the
// default account's target pointed at a proxy in front of moto.
func budgetEnv(t *testing.T, o testproxy.Options) (*testproxy.Proxy, Target) {
	t.Helper()
	srv := docsStartMoto(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatalf("LoadAWSConfig: %v", err)
	}
	s3c, iamc := NewS3(base, srv.URL), iam.NewFromConfig(base)
	for i := range 12 {
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(fmt.Sprintf("budget-%02d", i))}); err != nil {
			t.Fatalf("create bucket: %v", err)
		}
	}
	for i := range 4 {
		if _, err := iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("budget-user-%d", i))}); err != nil {
			t.Fatalf("create user: %v", err)
		}
	}
	p := testproxy.Start(t, srv.URL, o)
	cfg := base.Copy()
	cfg.BaseEndpoint = aws.String(p.URL)
	cfg.Retryer = func() aws.Retryer { return newRetryer(50 * time.Millisecond) }
	return p, Target{Account: docsTestAccount, Name: "default", Config: cfg}
}

func budgetRunner(p *testproxy.Proxy, concurrency, inflight int) *Runner {
	return &Runner{
		Registry: NewRegistry(NewS3Buckets(), NewIAMUsers(), NewSecurityGroups()),
		Regions:  []string{"us-east-1"}, Endpoint: p.URL,
		Concurrency: concurrency, MaxInFlight: inflight,
	}
}

// TestBudgetBoundsRequestsInFlightAtTheProxy counts, at a proxy in front of
// moto, how many requests a scan has open at once: --concurrency 1
// --max-inflight 1 is truly serial, and a budget of 3 is never exceeded even
// with 8 units at once and per-bucket fan-out.
func TestBudgetBoundsRequestsInFlightAtTheProxy(t *testing.T) {
	p, target := budgetEnv(t, testproxy.Options{Latency: 10 * time.Millisecond})
	for _, c := range []struct{ concurrency, inflight int }{{1, 1}, {8, 3}} {
		p.ResetCounts()
		units, assets := runScan(t, budgetRunner(p, c.concurrency, c.inflight), []Target{target})
		for key, u := range units {
			if u.Status != asset.UnitComplete {
				t.Fatalf("concurrency %d inflight %d: unit %s = %s %q", c.concurrency, c.inflight, key, u.Status, u.Error)
			}
		}
		if n := len(assets[asset.UnitKey{Account: docsTestAccount, Region: asset.Global, Type: asset.TypeS3Bucket}]); n != 12 {
			t.Fatalf("collected %d buckets, want 12", n)
		}
		// Requests per resource type (docs/ATTRIBUTES.md): S3 lists once and
		// reads 8 settings per bucket, plus GetBucketLocation because moto's
		// ListBuckets names no BucketRegion; IAM lists users once and makes 7
		// calls per user without access keys; security groups are one
		// DescribeSecurityGroups page.
		want := map[string]int64{"s3": 1 + 12*(8+1), "iam": 1 + 4*7, "ec2": 1}
		for svc, n := range p.ByService() {
			if n != want[svc] {
				t.Errorf("%s: %d requests, want %d", svc, n, want[svc])
			}
		}
		if peak := p.Peak.Load(); peak != int64(c.inflight) {
			t.Errorf("concurrency %d, max-inflight %d: peak %d requests in flight at the proxy, want exactly %d (%d requests)",
				c.concurrency, c.inflight, peak, c.inflight, p.Requests.Load())
		}
	}
}

// TestBudgetRidesOutThrottling answers every fifth request with the
// service's throttle: every unit still completes with the same assets as a
// clean scan, and the budget counted the throttles.
func TestBudgetRidesOutThrottling(t *testing.T) {
	p, target := budgetEnv(t, testproxy.Options{})
	_, clean := runScan(t, budgetRunner(p, 0, 0), []Target{target})

	throttling := testproxy.Start(t, p.URL, testproxy.Options{ThrottleEvery: 5})
	through := target
	through.Config = target.Config.Copy()
	through.Config.BaseEndpoint = aws.String(throttling.URL)
	r := budgetRunner(throttling, 0, 0)
	r.Budget = awsapi.NewBudget(0)
	units, assets := runScan(t, r, []Target{through})
	for key, u := range units {
		if u.Status != asset.UnitComplete {
			t.Errorf("unit %s = %s %q under 20%% throttling, want complete", key, u.Status, u.Error)
			continue
		}
		if !sameAssets(assets[key], clean[key]) {
			t.Errorf("unit %s: assets under throttling differ from the clean scan", key)
		}
	}
	st := r.Budget.Stats()
	if throttling.Faults.Load() == 0 || st.Throttled != throttling.Faults.Load() {
		t.Errorf("proxy throttled %d requests, budget counted %d", throttling.Faults.Load(), st.Throttled)
	}
	if st.Done != throttling.Requests.Load() {
		t.Errorf("budget counted %d requests, proxy saw %d", st.Done, throttling.Requests.Load())
	}
}
