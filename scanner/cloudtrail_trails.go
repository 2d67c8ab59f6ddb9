package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"github.com/vigil-sec/vigil/asset"
)

// Trails collects the CloudTrail trails whose home region is the unit's
// region, so a multi-region trail is one asset, not one per region. An
// organization trail seen from a member account is left to the account
// that owns it, so its ARN names one asset only.
type Trails struct{}

// NewTrails returns the aws.cloudtrail.trail collector.
func NewTrails() *Trails { return &Trails{} }

// Type returns asset.TypeTrail.
func (*Trails) Type() string { return asset.TypeTrail }

// Global reports false: trails are collected in their home region.
func (*Trails) Global() bool { return false }

// Collect describes the region's own trails with their logging status and
// event selectors.
func (*Trails) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.CloudTrail()
	out, err := client.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{IncludeShadowTrails: aws.Bool(false)})
	if err != nil {
		return nil, fmt.Errorf("cloudtrail describe trails: %w", err)
	}
	assets := []asset.Asset{}
	for _, tr := range out.TrailList {
		if aws.ToString(tr.HomeRegion) != s.Region || trailOwner(aws.ToString(tr.TrailARN)) != s.Account {
			continue
		}
		a, err := trailDescribe(ctx, s, client, tr)
		if err != nil {
			return nil, fmt.Errorf("cloudtrail trail %s: %w", aws.ToString(tr.Name), err)
		}
		if a != nil {
			assets = append(assets, *a)
		}
	}
	return assets, nil
}

// trailDescribe builds the asset of one trail, or nil when it was deleted
// after the listing.
func trailDescribe(ctx context.Context, s *Session, client *cloudtrail.Client, tr cttypes.Trail) (*asset.Asset, error) {
	arn := tr.TrailARN
	status, err := client.GetTrailStatus(ctx, &cloudtrail.GetTrailStatusInput{Name: arn})
	if err != nil {
		if docsIsCode(err, "TrailNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("get trail status: %w", err)
	}
	sel, err := client.GetEventSelectors(ctx, &cloudtrail.GetEventSelectorsInput{TrailName: arn})
	if err != nil {
		if docsIsCode(err, "TrailNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("get event selectors: %w", err)
	}
	tags, err := trailTags(ctx, client, arn)
	if err != nil {
		return nil, err
	}
	logGroup, logRegion := trailLogGroup(aws.ToString(tr.CloudWatchLogsLogGroupArn))
	attrs := map[string]any{
		"trail_name":               aws.ToString(tr.Name),
		"home_region":              aws.ToString(tr.HomeRegion),
		"is_multi_region":          docsBool(tr.IsMultiRegionTrail),
		"include_global_events":    docsBool(tr.IncludeGlobalServiceEvents),
		"log_file_validation":      docsBool(tr.LogFileValidationEnabled),
		"kms_key_id":               aws.ToString(tr.KmsKeyId),
		"s3_bucket":                aws.ToString(tr.S3BucketName),
		"is_logging":               docsBool(status.IsLogging),
		"log_group_name":           logGroup,
		"log_group_region":         logRegion,
		"event_selectors":          trailSelectors(sel.EventSelectors),
		"advanced_event_selectors": trailAdvanced(sel.AdvancedEventSelectors),
	}
	a := docsAsset(s, asset.TypeTrail, aws.ToString(arn), aws.ToString(tr.Name), s.Region, tags, attrs)
	return &a, nil
}

// trailOwner returns the account field of a trail ARN
// (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME), "" when it has none.
func trailOwner(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// trailLogGroup splits the CloudWatch Logs group ARN a trail delivers to
// (arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*) into name and region;
// both "" when the trail delivers to none.
func trailLogGroup(arn string) (name, region string) {
	parts := strings.SplitN(arn, ":", 7)
	if len(parts) < 7 || parts[5] != "log-group" {
		return "", ""
	}
	return strings.TrimSuffix(parts[6], ":*"), parts[3]
}

// trailSelectors converts basic event selectors.
func trailSelectors(sels []cttypes.EventSelector) []any {
	out := make([]any, 0, len(sels))
	for _, e := range sels {
		data := make([]any, 0, len(e.DataResources))
		for _, d := range e.DataResources {
			data = append(data, map[string]any{"type": aws.ToString(d.Type), "values": docsStrings(d.Values)})
		}
		out = append(out, map[string]any{
			"read_write_type":           string(e.ReadWriteType),
			"include_management_events": docsBool(e.IncludeManagementEvents),
			"data_resources":            data,
		})
	}
	return out
}

// trailAdvanced converts advanced event selectors (field and Equals values).
func trailAdvanced(sels []cttypes.AdvancedEventSelector) []any {
	out := make([]any, 0, len(sels))
	for _, e := range sels {
		fields := make([]any, 0, len(e.FieldSelectors))
		for _, f := range e.FieldSelectors {
			fields = append(fields, map[string]any{"field": aws.ToString(f.Field), "equals": docsStrings(f.Equals)})
		}
		out = append(out, map[string]any{"name": aws.ToString(e.Name), "field_selectors": fields})
	}
	return out
}

// trailTags reads a trail's tags.
func trailTags(ctx context.Context, client *cloudtrail.Client, arn *string) (map[string]string, error) {
	tags := map[string]string{}
	p := cloudtrail.NewListTagsPaginator(client, &cloudtrail.ListTagsInput{ResourceIdList: []string{aws.ToString(arn)}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list tags: %w", err)
		}
		for _, r := range page.ResourceTagList {
			for _, t := range r.TagsList {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
		}
	}
	return tags, nil
}
