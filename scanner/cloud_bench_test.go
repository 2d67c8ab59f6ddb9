package scanner

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/awsapi"
	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/internal/testproxy"
)

// cloudLatency is what the benchmark's proxy adds to every request: a
// round trip to an AWS region some distance away.
const cloudLatency = 100 * time.Millisecond

// cloudWorld is the world: 200 buckets, 300 instances (300 root
// volumes), 120 more volumes, 51 security groups beside the default one,
// 30 IAM users; scale multiplies buckets and instances.
func cloudWorld(b *testing.B, srv *testmoto.Server, cfg aws.Config, scale int) {
	b.Helper()
	ctx := context.Background()
	s3c, e, iamc := NewS3(cfg, srv.URL), ec2.NewFromConfig(cfg), iam.NewFromConfig(cfg)
	check := func(what string, err error) {
		if err != nil {
			b.Fatalf("seed %s: %v", what, err)
		}
	}
	for i := range 200 * scale {
		_, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(fmt.Sprintf("world-%05d", i))})
		check("bucket", err)
	}
	for range 3 * scale {
		_, err := e.RunInstances(ctx, &ec2.RunInstancesInput{ImageId: aws.String("ami-12345678"),
			InstanceType: ec2types.InstanceTypeT3Micro, MinCount: aws.Int32(100), MaxCount: aws.Int32(100)})
		check("instances", err)
	}
	for range 120 {
		_, err := e.CreateVolume(ctx, &ec2.CreateVolumeInput{AvailabilityZone: aws.String("us-east-1a"), Size: aws.Int32(1)})
		check("volume", err)
	}
	for i := range 51 {
		_, err := e.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{GroupName: aws.String(fmt.Sprintf("world-%d", i)), Description: aws.String("w")})
		check("security group", err)
	}
	for i := range 30 {
		_, err := iamc.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("world-%d", i))})
		check("user", err)
	}
}

// BenchmarkScanCloudLatency scans the world through a proxy adding
// 100 ms per request, with the default settings, and reports wall time
// against the floor nobody can beat: the larger of moto's own CPU time for
// the requests (from /proc/PID/stat) and requests x 100 ms / the budget.
// VIGIL_BENCH_SCALE=5 scans 5x the buckets and instances; VIGIL_BENCH_THROTTLE=5
// answers every fifth request with a throttle.
func BenchmarkScanCloudLatency(b *testing.B) {
	scale, throttle := 1, int64(0)
	if v, err := strconv.Atoi(os.Getenv("VIGIL_BENCH_SCALE")); err == nil && v > 0 {
		scale = v
	}
	if v, err := strconv.ParseInt(os.Getenv("VIGIL_BENCH_THROTTLE"), 10, 64); err == nil && v > 0 {
		throttle = v
	}
	srv := docsStartMoto(b)
	ctx := context.Background()
	base, err := LoadAWSConfig(ctx, "")
	if err != nil {
		b.Fatal(err)
	}
	cloudWorld(b, srv, base, scale)
	p := testproxy.Start(b, srv.URL, testproxy.Options{Latency: cloudLatency, ThrottleEvery: throttle})
	cfg := base.Copy()
	cfg.BaseEndpoint = aws.String(p.URL)
	target := Target{Account: docsTestAccount, Name: "default", Config: cfg}
	types := []string{asset.TypeS3Bucket, asset.TypeEC2Instance, asset.TypeSecurityGroup, asset.TypeVolume, asset.TypeIAMUser}

	b.ResetTimer()
	for b.Loop() {
		p.ResetCounts()
		budget := awsapi.NewBudget(0)
		r := &Runner{Registry: Default(), Types: types, Regions: []string{"us-east-1"}, Endpoint: p.URL, Budget: budget}
		cpu0, err := srv.CPUTime()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		err = r.Run(ctx, []Target{target}, func(u asset.Unit, _ []asset.Asset) {
			if u.Status != asset.UnitComplete {
				b.Errorf("unit %s failed: %s", u.UnitKey, u.Error)
			}
		})
		wall := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		cpu1, err := srv.CPUTime()
		if err != nil {
			b.Fatal(err)
		}
		reqs := p.Requests.Load()
		latencyFloor := time.Duration(reqs) * cloudLatency / time.Duration(budget.Max())
		floor := max(cpu1-cpu0, latencyFloor)
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric((cpu1 - cpu0).Seconds(), "moto-cpu-s")
		b.ReportMetric(floor.Seconds(), "floor-s")
		b.ReportMetric(wall.Seconds()/floor.Seconds(), "wall/floor")
		b.ReportMetric(float64(reqs), "requests")
		b.ReportMetric(float64(p.Peak.Load()), "peak-inflight")
		b.ReportMetric(float64(budget.Stats().Throttled), "throttled")
		for svc, n := range p.ByService() {
			b.Logf("%s: %d requests", svc, n)
		}
	}
}
