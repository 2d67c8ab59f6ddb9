package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	r53types "github.com/aws/aws-sdk-go-v2/service/route53/types"

	"github.com/vigil-sec/vigil/asset"
)

// HostedZones collects the account's Route 53 hosted zones
// (aws.route53.hosted-zone, a global type).
type HostedZones struct{}

// NewHostedZones returns the aws.route53.hosted-zone collector.
func NewHostedZones() *HostedZones { return &HostedZones{} }

// Type returns aws.route53.hosted-zone.
func (*HostedZones) Type() string { return asset.TypeRoute53Zone }

// Global reports true: Route 53 is one service per account.
func (*HostedZones) Global() bool { return true }

// Collect lists the zones (paged) and the query logging configurations
// (paged, once), then reads each zone's tags.
func (*HostedZones) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.Route53()
	var zones []r53types.HostedZone
	p := route53.NewListHostedZonesPaginator(client, &route53.ListHostedZonesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("route53 list hosted zones: %w", err)
		}
		zones = append(zones, page.HostedZones...)
	}
	if len(zones) == 0 {
		return []asset.Asset{}, nil
	}
	logged := map[string]string{} // zone ID -> log group ARN
	lp := route53.NewListQueryLoggingConfigsPaginator(client, &route53.ListQueryLoggingConfigsInput{})
	for lp.HasMorePages() {
		page, err := lp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("route53 list query logging configs: %w", err)
		}
		for _, c := range page.QueryLoggingConfigs {
			logged[zoneID(aws.ToString(c.HostedZoneId))] = aws.ToString(c.CloudWatchLogsLogGroupArn)
		}
	}
	return docsDescribeEach(ctx, zones, s.Fanout(), func(ctx context.Context, z r53types.HostedZone) (*asset.Asset, error) {
		id := zoneID(aws.ToString(z.Id))
		tagsOut, err := client.ListTagsForResource(ctx, &route53.ListTagsForResourceInput{ResourceId: aws.String(id), ResourceType: r53types.TagResourceTypeHostedzone})
		if err != nil {
			if docsIsCode(err, "NoSuchHostedZone") {
				return nil, nil
			}
			return nil, fmt.Errorf("route53 list tags of %s: %w", id, err)
		}
		tags := map[string]string{}
		if tagsOut.ResourceTagSet != nil {
			for _, t := range tagsOut.ResourceTagSet.Tags {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
		}
		private := z.Config != nil && z.Config.PrivateZone
		attrs := map[string]any{
			"zone_id":             id,
			"zone_name":           aws.ToString(z.Name),
			"private":             private,
			"record_count":        aws.ToInt64(z.ResourceRecordSetCount),
			"query_logging":       logged[id] != "",
			"query_log_group_arn": logged[id],
		}
		a := docsAsset(s, asset.TypeRoute53Zone, "arn:"+partition(s.Region)+":route53:::hostedzone/"+id, aws.ToString(z.Name), asset.Global, tags, attrs)
		return &a, nil
	})
}

// zoneID strips the /hostedzone/ prefix Route 53 puts on zone IDs.
func zoneID(id string) string { return strings.TrimPrefix(id, "/hostedzone/") }
