package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"

	"github.com/vigil-sec/vigil/asset"
)

// appsCollectors are the collectors of issue 13's batch A.
func appsCollectors() []Collector {
	return []Collector{NewSQSQueues(), NewSNSTopics(), NewDynamoDBTables(), NewECRRepositories(), NewSecrets(),
		NewEKSClusters(), NewECSTaskDefinitions(), NewImages(), NewServerCertificates(), NewInstanceProfiles()}
}

// TestAppsCollectorsThroughRunner runs the batch-A collectors through the
// real Runner over two regions of a nearly empty account: the IAM types are
// one global unit each, the others one unit per region, every unit
// completes (an empty region is not an error), and the one queue lands in
// its own region's unit.
func TestAppsCollectorsThroughRunner(t *testing.T) {
	srv := docsStartMoto(t)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	targets, err := ResolveTargets(ctx, base, nil)
	if err != nil || len(targets) != 1 {
		t.Fatalf("targets = %+v, %v", targets, err)
	}
	eu := base.Copy()
	eu.Region = "eu-west-1"
	docsOK(t)(sqs.NewFromConfig(eu).CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("eu-only")}))

	r := &Runner{Registry: NewRegistry(appsCollectors()...), Regions: []string{"us-east-1", "eu-west-1"}, Endpoint: srv.URL, Concurrency: 4}
	units, byUnit := runScan(t, r, targets)
	if want := 2 + 8*2; len(units) != want {
		t.Fatalf("%d units, want %d (2 global + 8 regional types x 2 regions)", len(units), want)
	}
	total := 0
	for key, u := range units {
		if u.Status != asset.UnitComplete {
			t.Errorf("unit %s = %s: %s", key, u.Status, u.Error)
		}
		if (key.Region == asset.Global) != asset.GlobalTypes[key.Type] {
			t.Errorf("unit %s: global unit for a regional type, or the reverse", key)
		}
		total += len(byUnit[key])
	}
	queues := byUnit[asset.UnitKey{Account: targets[0].Account, Region: "eu-west-1", Type: asset.TypeSQSQueue}]
	if total != 1 || len(queues) != 1 || queues[0].Name != "eu-only" || queues[0].Region != "eu-west-1" {
		t.Errorf("%d assets in all; eu-west-1 queues = %v; want just the eu-only queue", total, queues)
	}
}
