package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	cftypes "github.com/aws/aws-sdk-go-v2/service/cloudfront/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestCloudFrontDistributionsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx := context.Background()
	create := func(ref string, policy cftypes.ViewerProtocolPolicy) string {
		out, err := s.CloudFront().CreateDistributionWithTags(ctx, &cloudfront.CreateDistributionWithTagsInput{DistributionConfigWithTags: &cftypes.DistributionConfigWithTags{
			Tags: &cftypes.Tags{Items: []cftypes.Tag{{Key: aws.String("env"), Value: aws.String(ref)}}},
			DistributionConfig: &cftypes.DistributionConfig{
				CallerReference: aws.String(ref), Comment: aws.String(ref), Enabled: aws.Bool(true),
				Origins: &cftypes.Origins{Quantity: aws.Int32(1), Items: []cftypes.Origin{{Id: aws.String("web"), DomainName: aws.String("origin.example.com"),
					CustomOriginConfig: &cftypes.CustomOriginConfig{HTTPPort: aws.Int32(80), HTTPSPort: aws.Int32(443), OriginProtocolPolicy: cftypes.OriginProtocolPolicyHttpsOnly,
						OriginSslProtocols: &cftypes.OriginSslProtocols{Quantity: aws.Int32(2), Items: []cftypes.SslProtocol{cftypes.SslProtocolTLSv1, cftypes.SslProtocolTLSv12}}}}}},
				DefaultCacheBehavior: &cftypes.DefaultCacheBehavior{TargetOriginId: aws.String("web"), ViewerProtocolPolicy: policy,
					ForwardedValues: &cftypes.ForwardedValues{QueryString: aws.Bool(false), Cookies: &cftypes.CookiePreference{Forward: cftypes.ItemSelectionNone}},
					TrustedSigners:  &cftypes.TrustedSigners{Enabled: aws.Bool(false), Quantity: aws.Int32(0)}, MinTTL: aws.Int64(0)},
			},
		}})
		if err != nil {
			t.Fatalf("seed distribution %s: %v", ref, err)
		}
		return aws.ToString(out.Distribution.ARN)
	}
	open := create("open", cftypes.ViewerProtocolPolicyAllowAll)
	strict := create("strict", cftypes.ViewerProtocolPolicyRedirectToHttps)

	got := docsCollect(t, NewCloudFrontDistributions(), s)
	if len(got) != 2 {
		t.Fatalf("%d distributions, want 2", len(got))
	}
	o, st := got[open], got[strict]
	if o.ID == "" || st.ID == "" {
		t.Fatalf("distributions not under their ARNs: %v", got)
	}
	docsHasKeys(t, o, "distribution_id", "domain_name", "aliases", "enabled", "status", "cache_behaviors", "origins", "viewer_certificate", "web_acl_id")
	policyOf := func(a asset.Asset) any {
		return docsList(t, a, "cache_behaviors")[0].(map[string]any)["viewer_protocol_policy"]
	}
	if policyOf(o) != "allow-all" || policyOf(st) != "redirect-to-https" {
		t.Errorf("viewer protocol policies %v / %v", policyOf(o), policyOf(st))
	}
	origin := docsList(t, o, "origins")[0].(map[string]any)
	if origin["origin_protocol_policy"] != "https-only" || !docsContains(origin["ssl_protocols"].([]any), "TLSv1") {
		t.Errorf("origin %v", origin)
	}
	if o.Region != asset.Global || o.Tags["env"] != "open" {
		t.Errorf("distribution region %q tags %v", o.Region, o.Tags)
	}
}
