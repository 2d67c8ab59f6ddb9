package cycle_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/internal/testproxy"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

var twoRegions = []string{"us-east-1", "eu-west-1"}

// seedTwoRegions creates a world-open SSH group in each region and a bucket.
func seedTwoRegions(t *testing.T, srv *testmoto.Server) map[string]string {
	sgs := map[string]string{}
	for _, r := range twoRegions {
		var out struct{ GroupId string }
		if err := json.Unmarshal([]byte(srv.AWS(t, "ec2", "create-security-group", "--region", r,
			"--group-name", "open-ssh", "--description", "ssh from anywhere")), &out); err != nil {
			t.Fatal(err)
		}
		srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", r, "--group-id", out.GroupId,
			"--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
		sgs[r] = out.GroupId
	}
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "fault-test-bucket")
	return sgs
}

// scanWith runs one cycle against endpoint with a short retry backoff.
func scanWith(t *testing.T, c *cycle.Cycle, endpoint string) *cycle.Result {
	t.Helper()
	ctx := context.Background()
	cfg, err := scanner.LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.BaseEndpoint = aws.String(endpoint)
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 6
			o.MaxBackoff = 50 * time.Millisecond
		})
	}
	targets, err := scanner.ResolveTargets(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &scanner.Runner{Registry: scanner.Default(), Regions: twoRegions, Endpoint: endpoint,
		Types: []string{asset.TypeSecurityGroup, asset.TypeVPC, asset.TypeS3Bucket, asset.TypeAccount}}
	res, err := c.Run(ctx, &cycle.AWSSource{Runner: r, Targets: targets}, cycle.RunOptions{Source: "aws", By: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func regionAssets(t *testing.T, st *db.Store, region string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := st.Summaries(func(s *asset.Summary) bool {
		if s.Region == region && s.Type != asset.TypeS3Bucket {
			a, err := st.Asset(s.ID)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(a)
			out[s.ID] = string(b)
		}
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A region that fails entirely must not lose or change anything the last
// scan knew about it, while the healthy region completes through throttles,
// 500s and resets, and its changes (a deleted group) are applied.
func TestDeadRegionKeepsWhatTheLastScanKnew(t *testing.T) {
	srv := testmoto.Start(t)
	srv.Setenv(t)
	sgs := seedTwoRegions(t, srv)
	st, err := db.Open(t.TempDir(), db.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, _, err := cycle.New(st, &config.Config{}, cycle.Deps{})
	if err != nil {
		t.Fatal(err)
	}
	first := scanWith(t, c, srv.URL)
	if first.Scan.Status != asset.ScanComplete {
		t.Fatalf("first scan %s, want complete: %+v", first.Scan.Status, first.Scan.Units)
	}
	euBefore := regionAssets(t, st, "eu-west-1")
	euSG := "arn:aws:ec2:eu-west-1:123456789012:security-group/" + sgs["eu-west-1"]
	if _, ok := euBefore[euSG]; !ok {
		t.Fatalf("eu-west-1 group %s not stored after the first scan", euSG)
	}
	vBefore, err := st.Violations(db.ViolationFilter{AssetID: euSG})
	if err != nil || len(vBefore) == 0 {
		t.Fatalf("no violations for the open eu-west-1 group: %v", err)
	}

	// Both groups are deleted in AWS; only the healthy region may notice.
	for r, id := range sgs {
		srv.AWS(t, "ec2", "delete-security-group", "--region", r, "--group-id", id)
	}
	proxy := testproxy.Start(t, srv.URL, testproxy.Options{DeadRegion: "eu-west-1", FaultEvery: 4})
	second := scanWith(t, c, proxy.URL)
	if second.Scan.Status != asset.ScanPartial {
		t.Fatalf("second scan %s, want partial", second.Scan.Status)
	}
	for _, u := range second.Scan.Units {
		want := asset.UnitComplete
		// The account's settings include EBS default encryption of every
		// region, so the dead region fails the account unit too.
		if u.Region == "eu-west-1" || u.Type == asset.TypeAccount {
			want = asset.UnitFailed
		}
		if u.Status != want {
			t.Errorf("unit %s: %s (%s), want %s", u.UnitKey, u.Status, u.Error, want)
		}
	}
	if proxy.Faults.Load() == 0 {
		t.Fatal("the proxy injected no faults")
	}
	euAfter := regionAssets(t, st, "eu-west-1")
	if len(euAfter) != len(euBefore) {
		t.Fatalf("eu-west-1 had %d assets, now %d", len(euBefore), len(euAfter))
	}
	for id, doc := range euBefore {
		if euAfter[id] != doc {
			t.Errorf("eu-west-1 asset %s changed though its unit failed:\nbefore %s\nafter  %s", id, doc, euAfter[id])
		}
	}
	vAfter, _ := st.Violations(db.ViolationFilter{AssetID: euSG})
	for _, v := range vAfter {
		if v.Status != rules.StatusOpen {
			t.Errorf("violation %s of the dead region's group is %s, want still open", v.PolicyID, v.Status)
		}
	}
	usSG := "arn:aws:ec2:us-east-1:123456789012:security-group/" + sgs["us-east-1"]
	if _, err := st.Asset(usSG); err == nil {
		t.Errorf("us-east-1 group %s was deleted in AWS but is still stored", usSG)
	}
	vs, _ := st.Violations(db.ViolationFilter{AssetID: usSG, PolicyID: "ec2-sg-open-ssh"})
	if len(vs) != 1 || vs[0].Status != rules.StatusClosed || vs[0].Reason != "resource deleted" {
		t.Errorf("us-east-1 open-ssh violation = %+v, want closed \"resource deleted\"", vs)
	}
}
