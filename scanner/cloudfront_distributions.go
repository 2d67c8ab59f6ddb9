package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/vigil-sec/vigil/asset"
)

// CloudFrontDistributions collects the account's CloudFront distributions
// (aws.cloudfront.distribution, a global type).
type CloudFrontDistributions struct{}

// NewCloudFrontDistributions returns the aws.cloudfront.distribution
// collector.
func NewCloudFrontDistributions() *CloudFrontDistributions { return &CloudFrontDistributions{} }

// Type returns aws.cloudfront.distribution.
func (*CloudFrontDistributions) Type() string { return asset.TypeCloudFront }

// Global reports true: CloudFront is one service per account.
func (*CloudFrontDistributions) Global() bool { return true }

// Collect lists the distributions (paged), then reads each one's
// configuration with GetDistribution (AWS's listing carries it, moto's
// does not, and the full configuration is the one to judge) and its tags.
func (*CloudFrontDistributions) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.CloudFront()
	var items []cftypes.DistributionSummary
	p := cloudfront.NewListDistributionsPaginator(client, &cloudfront.ListDistributionsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("cloudfront list distributions: %w", err)
		}
		if page.DistributionList != nil {
			items = append(items, page.DistributionList.Items...)
		}
	}
	return docsDescribeEach(ctx, items, s.Fanout(), func(ctx context.Context, d cftypes.DistributionSummary) (*asset.Asset, error) {
		arn := aws.ToString(d.ARN)
		tagsOut, err := client.ListTagsForResource(ctx, &cloudfront.ListTagsForResourceInput{Resource: aws.String(arn)})
		if err != nil {
			if docsIsCode(err, "NoSuchResource") {
				return nil, nil
			}
			return nil, fmt.Errorf("cloudfront list tags for %s: %w", arn, err)
		}
		tags := map[string]string{}
		if tagsOut.Tags != nil {
			for _, t := range tagsOut.Tags.Items {
				tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
			}
		}
		full, err := client.GetDistribution(ctx, &cloudfront.GetDistributionInput{Id: d.Id})
		if err != nil {
			if docsIsCode(err, "NoSuchDistribution") {
				return nil, nil
			}
			return nil, fmt.Errorf("cloudfront get distribution %s: %w", aws.ToString(d.Id), err)
		}
		if full.Distribution == nil || full.Distribution.DistributionConfig == nil {
			return nil, nil
		}
		a := docsAsset(s, asset.TypeCloudFront, arn, aws.ToString(d.Id), asset.Global, tags, cloudFrontAttrs(full.Distribution))
		return &a, nil
	})
}

// cloudFrontAttrs converts a distribution and its configuration.
func cloudFrontAttrs(dist *cftypes.Distribution) map[string]any {
	d := dist.DistributionConfig
	behaviors := []any{}
	if b := d.DefaultCacheBehavior; b != nil {
		behaviors = append(behaviors, map[string]any{"path_pattern": "*", "viewer_protocol_policy": string(b.ViewerProtocolPolicy)})
	}
	if d.CacheBehaviors != nil {
		for _, b := range d.CacheBehaviors.Items {
			behaviors = append(behaviors, map[string]any{"path_pattern": aws.ToString(b.PathPattern), "viewer_protocol_policy": string(b.ViewerProtocolPolicy)})
		}
	}
	origins := []any{}
	if d.Origins != nil {
		for _, o := range d.Origins.Items {
			origin := map[string]any{"origin_id": aws.ToString(o.Id), "domain_name": aws.ToString(o.DomainName),
				"origin_protocol_policy": "", "ssl_protocols": []any{}}
			if c := o.CustomOriginConfig; c != nil {
				origin["origin_protocol_policy"] = string(c.OriginProtocolPolicy)
				if c.OriginSslProtocols != nil {
					origin["ssl_protocols"] = listOf(c.OriginSslProtocols.Items, func(p cftypes.SslProtocol) any { return string(p) })
				}
			}
			origins = append(origins, origin)
		}
	}
	viewer := map[string]any{"default_certificate": true, "minimum_protocol_version": "", "ssl_support_method": "", "acm_certificate_arn": ""}
	if v := d.ViewerCertificate; v != nil {
		viewer = map[string]any{
			"default_certificate":      docsBool(v.CloudFrontDefaultCertificate),
			"minimum_protocol_version": string(v.MinimumProtocolVersion),
			"ssl_support_method":       string(v.SSLSupportMethod),
			"acm_certificate_arn":      aws.ToString(v.ACMCertificateArn),
		}
	}
	aliases := []any{}
	if d.Aliases != nil {
		aliases = docsStrings(d.Aliases.Items)
	}
	return map[string]any{
		"distribution_id":    aws.ToString(dist.Id),
		"domain_name":        aws.ToString(dist.DomainName),
		"aliases":            aliases,
		"enabled":            docsBool(d.Enabled),
		"status":             aws.ToString(dist.Status),
		"cache_behaviors":    behaviors,
		"origins":            origins,
		"viewer_certificate": viewer,
		"web_acl_id":         aws.ToString(d.WebACLId),
	}
}
