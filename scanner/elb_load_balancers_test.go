package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
)

func TestClassicLoadBalancersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	ok(s.ELB().CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("legacy-web"), AvailabilityZones: []string{"us-east-1a"},
		Listeners: []elbtypes.Listener{{Protocol: aws.String("HTTP"), LoadBalancerPort: 80, InstancePort: aws.Int32(8080)}},
		Tags:      []elbtypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	ok(s.ELB().CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{LoadBalancerName: aws.String("legacy-tls"), AvailabilityZones: []string{"us-east-1a"},
		Listeners: []elbtypes.Listener{{Protocol: aws.String("HTTPS"), LoadBalancerPort: 443, InstancePort: aws.Int32(8443), InstanceProtocol: aws.String("HTTPS"),
			SSLCertificateId: aws.String("arn:aws:iam::123456789012:server-certificate/web")}}}))
	ok(s.ELB().ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerName: aws.String("legacy-tls"),
		LoadBalancerAttributes: &elbtypes.LoadBalancerAttributes{AccessLog: &elbtypes.AccessLog{Enabled: true, S3BucketName: aws.String("elb-logs"), EmitInterval: aws.Int32(5)}}}))

	got := docsCollect(t, NewClassicLoadBalancers(), s)
	web := got["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy-web"]
	tls := got["arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/legacy-tls"]
	if len(got) != 2 || web.ID == "" || tls.ID == "" {
		t.Fatalf("load balancers %v, want legacy-web and legacy-tls under their ARNs", got)
	}
	docsHasKeys(t, web, "load_balancer_name", "dns_name", "scheme", "vpc_id", "security_group_ids", "subnets", "listeners",
		"instance_ids", "access_logs", "cross_zone", "connection_draining", "created_time")
	lw := docsList(t, web, "listeners")[0].(map[string]any)
	lt := docsList(t, tls, "listeners")[0].(map[string]any)
	if lw["protocol"] != "HTTP" || lw["port"] != int64(80) || lt["protocol"] != "HTTPS" {
		t.Errorf("listeners %v / %v", lw, lt)
	}
	docsWant(t, web, "access_logs.enabled", false)
	docsWant(t, tls, "access_logs.enabled", true)
	docsWant(t, tls, "access_logs.s3_bucket", "elb-logs")
	if web.Tags["env"] != "prod" || web.Name != "legacy-web" {
		t.Errorf("legacy-web name %q tags %v", web.Name, web.Tags)
	}
}
