package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"

	"github.com/vigil-sec/vigil/asset"
)

// classicTagBatch is how many load balancers one DescribeTags call may name.
const classicTagBatch = 20

// ClassicLoadBalancers collects the classic load balancers of a region
// (aws.elb.load-balancer).
type ClassicLoadBalancers struct{}

// NewClassicLoadBalancers returns the aws.elb.load-balancer collector.
func NewClassicLoadBalancers() *ClassicLoadBalancers { return &ClassicLoadBalancers{} }

// Type returns aws.elb.load-balancer.
func (*ClassicLoadBalancers) Type() string { return asset.TypeClassicELB }

// Global reports false: load balancers are regional.
func (*ClassicLoadBalancers) Global() bool { return false }

// Collect lists the load balancers (paged; listeners come with the
// listing), reads their tags 20 at a time and each one's attributes.
func (*ClassicLoadBalancers) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ELB()
	var lbs []elbtypes.LoadBalancerDescription
	p := elb.NewDescribeLoadBalancersPaginator(client, &elb.DescribeLoadBalancersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("elb describe load balancers: %w", err)
		}
		lbs = append(lbs, page.LoadBalancerDescriptions...)
	}
	tags := map[string]map[string]string{}
	for i := 0; i < len(lbs); i += classicTagBatch {
		names := make([]string, 0, classicTagBatch)
		for _, lb := range lbs[i:min(i+classicTagBatch, len(lbs))] {
			names = append(names, aws.ToString(lb.LoadBalancerName))
		}
		out, err := client.DescribeTags(ctx, &elb.DescribeTagsInput{LoadBalancerNames: names})
		if err != nil {
			return nil, fmt.Errorf("elb describe tags: %w", err)
		}
		for _, d := range out.TagDescriptions {
			m := map[string]string{}
			for _, t := range d.Tags {
				m[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
			tags[aws.ToString(d.LoadBalancerName)] = m
		}
	}
	return docsDescribeEach(ctx, lbs, s.Fanout(), func(ctx context.Context, lb elbtypes.LoadBalancerDescription) (*asset.Asset, error) {
		name := aws.ToString(lb.LoadBalancerName)
		attrOut, err := client.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerName: aws.String(name)})
		if err != nil {
			if docsIsCode(err, "LoadBalancerNotFound") {
				return nil, nil
			}
			return nil, fmt.Errorf("elb describe load balancer attributes %s: %w", name, err)
		}
		a := docsAsset(s, asset.TypeClassicELB, regionalARN(s, "elasticloadbalancing", "loadbalancer/"+name), name, s.Region,
			tags[name], classicLBAttrs(lb, attrOut.LoadBalancerAttributes))
		return &a, nil
	})
}

// classicLBAttrs converts a load balancer and its attributes.
func classicLBAttrs(lb elbtypes.LoadBalancerDescription, at *elbtypes.LoadBalancerAttributes) map[string]any {
	listeners := []any{}
	for _, l := range lb.ListenerDescriptions {
		if l.Listener == nil {
			continue
		}
		listeners = append(listeners, map[string]any{
			"protocol":          aws.ToString(l.Listener.Protocol),
			"port":              int64(l.Listener.LoadBalancerPort),
			"instance_protocol": aws.ToString(l.Listener.InstanceProtocol),
			"instance_port":     docsInt32(l.Listener.InstancePort),
			"certificate_id":    aws.ToString(l.Listener.SSLCertificateId),
			"policy_names":      docsStrings(l.PolicyNames),
		})
	}
	logs := map[string]any{"enabled": false, "s3_bucket": "", "s3_prefix": ""}
	crossZone, draining := false, false
	if at != nil {
		if al := at.AccessLog; al != nil {
			logs = map[string]any{"enabled": al.Enabled, "s3_bucket": aws.ToString(al.S3BucketName), "s3_prefix": aws.ToString(al.S3BucketPrefix)}
		}
		crossZone = at.CrossZoneLoadBalancing != nil && at.CrossZoneLoadBalancing.Enabled
		draining = at.ConnectionDraining != nil && at.ConnectionDraining.Enabled
	}
	instances := make([]any, 0, len(lb.Instances))
	for _, in := range lb.Instances {
		instances = append(instances, aws.ToString(in.InstanceId))
	}
	return map[string]any{
		"load_balancer_name":  aws.ToString(lb.LoadBalancerName),
		"dns_name":            aws.ToString(lb.DNSName),
		"scheme":              aws.ToString(lb.Scheme),
		"vpc_id":              aws.ToString(lb.VPCId),
		"security_group_ids":  docsStrings(lb.SecurityGroups),
		"subnets":             docsStrings(lb.Subnets),
		"listeners":           listeners,
		"instance_ids":        instances,
		"access_logs":         logs,
		"cross_zone":          crossZone,
		"connection_draining": draining,
		"created_time":        docsTime(lb.CreatedTime),
	}
}
