package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/vigil-sec/vigil/asset"
)

// elbTagBatch is the most ARNs DescribeTags accepts at once.
const elbTagBatch = 20

// LoadBalancers collects ELBv2 load balancers (application, network and
// gateway) with their listeners (aws.elbv2.load-balancer).
type LoadBalancers struct{}

// NewLoadBalancers returns the ELBv2 load balancer collector.
func NewLoadBalancers() *LoadBalancers { return &LoadBalancers{} }

// Type returns aws.elbv2.load-balancer.
func (*LoadBalancers) Type() string { return asset.TypeLoadBalancer }

// Global reports false: load balancers are listed per region.
func (*LoadBalancers) Global() bool { return false }

// Collect lists every load balancer of the unit's region, its listeners and
// its tags.
func (*LoadBalancers) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ELBv2()
	var lbs []elbtypes.LoadBalancer
	p := elbv2.NewDescribeLoadBalancersPaginator(client, &elbv2.DescribeLoadBalancersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("elbv2 DescribeLoadBalancers: %w", err)
		}
		lbs = append(lbs, page.LoadBalancers...)
	}
	// Call i < len(lbs) reads load balancer i's listeners; the last one
	// reads every load balancer's tags.
	var tags map[string]map[string]string
	listeners := make([][]any, len(lbs))
	err := parallel(ctx, len(lbs)+1, s.Fanout(), func(ctx context.Context, i int) error {
		var err error
		if i == len(lbs) {
			tags, err = elbTags(ctx, client, lbs)
		} else {
			listeners[i], err = elbListeners(ctx, client, str(lbs[i].LoadBalancerArn))
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]asset.Asset, 0, len(lbs))
	for i, lb := range lbs {
		out = append(out, loadBalancerAsset(lb, listeners[i], tags[str(lb.LoadBalancerArn)]))
	}
	return out, nil
}

// elbTags reads the tags of every load balancer, by ARN.
func elbTags(ctx context.Context, client *elbv2.Client, lbs []elbtypes.LoadBalancer) (map[string]map[string]string, error) {
	tags := make(map[string]map[string]string, len(lbs))
	for i := 0; i < len(lbs); i += elbTagBatch {
		arns := make([]string, 0, elbTagBatch)
		for _, lb := range lbs[i:min(i+elbTagBatch, len(lbs))] {
			arns = append(arns, str(lb.LoadBalancerArn))
		}
		res, err := client.DescribeTags(ctx, &elbv2.DescribeTagsInput{ResourceArns: arns})
		if err != nil {
			return nil, fmt.Errorf("elbv2 DescribeTags: %w", err)
		}
		for _, d := range res.TagDescriptions {
			m := make(map[string]string, len(d.Tags))
			for _, t := range d.Tags {
				m[str(t.Key)] = str(t.Value)
			}
			tags[str(d.ResourceArn)] = m
		}
	}
	return tags, nil
}

// elbListeners reads a load balancer's listeners as document values.
func elbListeners(ctx context.Context, client *elbv2.Client, lbARN string) ([]any, error) {
	listeners := []any{}
	p := elbv2.NewDescribeListenersPaginator(client, &elbv2.DescribeListenersInput{LoadBalancerArn: aws.String(lbARN)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("elbv2 DescribeListeners %s: %w", lbARN, err)
		}
		for _, l := range page.Listeners {
			listeners = append(listeners, map[string]any{
				"arn":        str(l.ListenerArn),
				"port":       i64(l.Port),
				"protocol":   string(l.Protocol),
				"ssl_policy": str(l.SslPolicy),
				"default_actions": listOf(l.DefaultActions, func(a elbtypes.Action) any {
					redirect := ""
					if a.RedirectConfig != nil {
						redirect = str(a.RedirectConfig.Protocol)
					}
					return map[string]any{"type": string(a.Type), "redirect_protocol": redirect}
				}),
			})
		}
	}
	return listeners, nil
}

func loadBalancerAsset(lb elbtypes.LoadBalancer, listeners []any, tags map[string]string) asset.Asset {
	if tags == nil {
		tags = map[string]string{}
	}
	name := str(lb.LoadBalancerName)
	state := ""
	if lb.State != nil {
		state = string(lb.State.Code)
	}
	return asset.Asset{
		ID:   str(lb.LoadBalancerArn),
		Type: asset.TypeLoadBalancer,
		Name: nameOr(tags["Name"], name),
		Tags: tags,
		Attrs: map[string]any{
			"lb_name":            name,
			"dns_name":           str(lb.DNSName),
			"scheme":             string(lb.Scheme),
			"lb_type":            string(lb.Type),
			"vpc_id":             str(lb.VpcId),
			"state":              state,
			"security_group_ids": strs(lb.SecurityGroups),
			"listeners":          listeners,
		},
	}
}
