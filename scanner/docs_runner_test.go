package scanner

import (
	"context"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
)

// docsCollectors are the collectors of this part of the scanner.
func docsCollectors() []Collector {
	return []Collector{NewS3Buckets(), NewIAMUsers(), NewIAMRoles(), NewIAMPolicies(), NewAccount(),
		NewLambdaFunctions(), NewKMSKeys(), NewTrails()}
}

// TestGlobalCollectorsThroughRunnerTwoAccounts runs these collectors
// through the real Runner over two accounts (the second reached by
// AssumeRole) and two regions: every unit completes and each account sees
// only its own resources.
func TestGlobalCollectorsThroughRunnerTwoAccounts(t *testing.T) {
	srv := docsStartMoto(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	targets, err := ResolveTargets(ctx, base, []config.Account{{Name: "second", RoleARN: "arn:aws:iam::222222222222:role/any"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(targets) != 2 || targets[1].Account != "222222222222" {
		t.Fatalf("targets = %+v", targets)
	}
	ok := docsOK(t)
	for i, tg := range targets {
		sess := &Session{Config: tg.Config.Copy(), Account: tg.Account, Endpoint: srv.URL}
		sess.Config.Region = "eu-west-1"
		bucket := aws.String([]string{"first-acct-bucket", "second-acct-bucket"}[i])
		ok(sess.S3In("eu-west-1").CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket,
			CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}}))
		ok(sess.IAM().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("user-" + tg.Account)}))
		ok(sess.KMS().CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("key of " + tg.Account)}))
	}

	regions := []string{"us-east-1", "eu-west-1"}
	r := &Runner{Registry: NewRegistry(docsCollectors()...), Regions: regions, Endpoint: srv.URL, Concurrency: 8}
	var mu sync.Mutex
	units := map[asset.UnitKey]asset.Unit{}
	byUnit := map[asset.UnitKey][]asset.Asset{}
	if err := r.Run(ctx, targets, func(u asset.Unit, as []asset.Asset) {
		mu.Lock()
		defer mu.Unlock()
		units[u.UnitKey], byUnit[u.UnitKey] = u, as
	}); err != nil {
		t.Fatal(err)
	}
	// Per account: 5 global units + 3 regional types x 2 regions.
	if want := 2 * (5 + 3*2); len(units) != want {
		t.Fatalf("%d units, want %d", len(units), want)
	}
	for key, u := range units {
		if u.Status != asset.UnitComplete {
			t.Errorf("unit %s = %s: %s", key, u.Status, u.Error)
		}
		for _, a := range byUnit[key] {
			if a.Account != key.Account || !key.Contains(&asset.Summary{Account: a.Account, Type: a.Type, Region: a.Region}) {
				t.Errorf("unit %s holds asset %s of account %s region %s", key, a.ID, a.Account, a.Region)
			}
		}
	}
	for _, tg := range targets {
		buckets := byUnit[asset.UnitKey{Account: tg.Account, Region: asset.Global, Type: asset.TypeS3Bucket}]
		users := byUnit[asset.UnitKey{Account: tg.Account, Region: asset.Global, Type: asset.TypeIAMUser}]
		keys := byUnit[asset.UnitKey{Account: tg.Account, Region: "us-east-1", Type: asset.TypeKMSKey}]
		acct := byUnit[asset.UnitKey{Account: tg.Account, Region: asset.Global, Type: asset.TypeAccount}]
		if len(buckets) != 1 || buckets[0].Region != "eu-west-1" {
			t.Errorf("account %s buckets = %v, want its one eu-west-1 bucket", tg.Account, buckets)
		}
		if len(users) != 1 || users[0].Name != "user-"+tg.Account {
			t.Errorf("account %s users = %v", tg.Account, users)
		}
		if len(keys) != 0 {
			t.Errorf("account %s: %d keys in us-east-1, want 0 (created in eu-west-1)", tg.Account, len(keys))
		}
		if len(acct) != 1 || acct[0].ID != asset.AccountID(tg.Account) {
			t.Fatalf("account %s: account assets = %v", tg.Account, acct)
		}
		ebs, _ := acct[0].Attrs["ebs_default_encryption"].(map[string]any)
		if len(ebs) != 2 {
			t.Errorf("account %s ebs_default_encryption = %v, want both scanned regions", tg.Account, ebs)
		}
	}
}
