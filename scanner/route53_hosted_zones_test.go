package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestHostedZonesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, ok := context.Background(), docsOK(t)
	pub, err := s.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("example.com"), CallerReference: aws.String("pub")})
	if err != nil {
		t.Fatalf("seed zone: %v", err)
	}
	ok(s.Route53().CreateHostedZone(ctx, &route53.CreateHostedZoneInput{Name: aws.String("internal.example"), CallerReference: aws.String("priv"),
		HostedZoneConfig: &r53types.HostedZoneConfig{PrivateZone: true}, VPC: &r53types.VPC{VPCId: aws.String("vpc-12345678"), VPCRegion: r53types.VPCRegionUsEast1}}))
	pubID := zoneID(aws.ToString(pub.HostedZone.Id))
	ok(s.Route53().ChangeTagsForResource(ctx, &route53.ChangeTagsForResourceInput{ResourceId: aws.String(pubID), ResourceType: r53types.TagResourceTypeHostedzone,
		AddTags: []r53types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	ok(s.Logs().CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("/aws/route53/example.com")}))
	logARN := "arn:aws:logs:us-east-1:123456789012:log-group:/aws/route53/example.com:*"
	ok(s.Route53().CreateQueryLoggingConfig(ctx, &route53.CreateQueryLoggingConfigInput{HostedZoneId: aws.String(pubID), CloudWatchLogsLogGroupArn: aws.String(logARN)}))

	got := docsCollect(t, NewHostedZones(), s)
	if len(got) != 2 {
		t.Fatalf("%d zones, want 2: %v", len(got), got)
	}
	p, found := got["arn:aws:route53:::hostedzone/"+pubID]
	if !found {
		t.Fatalf("public zone not under its ARN: %v", got)
	}
	docsHasKeys(t, p, "zone_id", "zone_name", "private", "record_count", "query_logging", "query_log_group_arn")
	docsWant(t, p, "private", false)
	docsWant(t, p, "query_logging", true)
	docsWant(t, p, "query_log_group_arn", logARN)
	if p.Tags["env"] != "prod" || p.Region != asset.Global {
		t.Errorf("public zone tags %v region %q", p.Tags, p.Region)
	}
	for id, z := range got {
		if id != p.ID {
			docsWant(t, z, "private", true)
			docsWant(t, z, "query_logging", false)
		}
	}
}
