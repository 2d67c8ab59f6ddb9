package scanner

import (
	"context"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// batchBTypes are the posture, edge and data-store types of issue 13's
// second batch.
var batchBTypes = []string{
	asset.TypeConfigRecorder, asset.TypeSecurityHub, asset.TypeGuardDuty, asset.TypeAccessAnalyzer,
	asset.TypeACMCertificate, asset.TypeCloudFront, asset.TypeClassicELB, asset.TypeRedshiftCluster,
	asset.TypeOpenSearchDomain, asset.TypeElastiCacheGroup, asset.TypeAPIGatewayRESTAPI, asset.TypeRoute53Zone,
}

// An empty account scanned through the runner with the default registry:
// every batch-B unit completes (Access Analyzer too, which moto lacks), and
// each region gets the placeholders that make "enabled in every region"
// checks fail: no Config recorder, no GuardDuty detector, a Security Hub
// that is off.
func TestBatchBUnitsCompleteOnAnEmptyAccount(t *testing.T) {
	srv := docsStartMoto(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatalf("LoadAWSConfig: %v", err)
	}
	targets, err := ResolveTargets(ctx, base, nil)
	if err != nil {
		t.Fatalf("ResolveTargets: %v", err)
	}
	now := time.Date(2026, 11, 25, 21, 0, 0, 0, time.UTC)
	r := &Runner{Registry: Default(), Regions: fxRegions, Endpoint: srv.URL, Types: batchBTypes, Now: func() time.Time { return now }}
	plan := r.Plan(targets)
	if want := 2*(len(batchBTypes)-2) + 2; len(plan) != want { // CloudFront and Route 53 are global
		t.Fatalf("plan has %d units, want %d", len(plan), want)
	}
	units, assets := runScan(t, r, targets)
	for _, key := range plan {
		if u := units[key]; u.Status != asset.UnitComplete {
			t.Errorf("unit %s = %s %q, want complete", key, u.Status, u.Error)
		}
	}
	for _, region := range fxRegions {
		want := map[string]string{
			asset.TypeConfigRecorder: "arn:aws:config:" + region + ":" + fxAccount1 + ":config-recorder/none",
			asset.TypeGuardDuty:      "arn:aws:guardduty:" + region + ":" + fxAccount1 + ":detector/none",
			asset.TypeSecurityHub:    "arn:aws:securityhub:" + region + ":" + fxAccount1 + ":hub/default",
		}
		for typ, id := range want {
			got := assets[asset.UnitKey{Account: fxAccount1, Region: region, Type: typ}]
			if len(got) != 1 || got[0].ID != id || got[0].Region != region {
				t.Errorf("%s in %s: %v, want the one asset %s", typ, region, got, id)
			}
		}
	}
}
