package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/opensearch"
	ostypes "github.com/aws/aws-sdk-go-v2/service/opensearch/types"

	"github.com/vigil-sec/vigil/asset"
)

// openSearchDescribeBatch is the most domains one DescribeDomains call names.
const openSearchDescribeBatch = 5

// OpenSearchDomains collects the OpenSearch Service (and Elasticsearch)
// domains of a region (aws.opensearch.domain).
type OpenSearchDomains struct{}

// NewOpenSearchDomains returns the aws.opensearch.domain collector.
func NewOpenSearchDomains() *OpenSearchDomains { return &OpenSearchDomains{} }

// Type returns aws.opensearch.domain.
func (*OpenSearchDomains) Type() string { return asset.TypeOpenSearchDomain }

// Global reports false: domains are regional.
func (*OpenSearchDomains) Global() bool { return false }

// Collect lists the domain names (one call), describes them five at a time
// and reads each domain's tags.
func (*OpenSearchDomains) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.OpenSearch()
	names, err := client.ListDomainNames(ctx, &opensearch.ListDomainNamesInput{})
	if err != nil {
		return nil, fmt.Errorf("opensearch list domain names: %w", err)
	}
	var domains []ostypes.DomainStatus
	for i := 0; i < len(names.DomainNames); i += openSearchDescribeBatch {
		batch := make([]string, 0, openSearchDescribeBatch)
		for _, d := range names.DomainNames[i:min(i+openSearchDescribeBatch, len(names.DomainNames))] {
			batch = append(batch, aws.ToString(d.DomainName))
		}
		out, err := client.DescribeDomains(ctx, &opensearch.DescribeDomainsInput{DomainNames: batch})
		if err != nil {
			return nil, fmt.Errorf("opensearch describe domains: %w", err)
		}
		domains = append(domains, out.DomainStatusList...)
	}
	return docsDescribeEach(ctx, domains, s.Fanout(), func(ctx context.Context, d ostypes.DomainStatus) (*asset.Asset, error) {
		if docsBool(d.Deleted) {
			return nil, nil
		}
		tagsOut, err := client.ListTags(ctx, &opensearch.ListTagsInput{ARN: d.ARN})
		if err != nil {
			if docsIsCode(err, "ResourceNotFoundException") {
				return nil, nil
			}
			return nil, fmt.Errorf("opensearch list tags %s: %w", aws.ToString(d.DomainName), err)
		}
		tags := map[string]string{}
		for _, t := range tagsOut.TagList {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		attrs, err := openSearchAttrs(d)
		if err != nil {
			return nil, err
		}
		a := docsAsset(s, asset.TypeOpenSearchDomain, aws.ToString(d.ARN), aws.ToString(d.DomainName), s.Region, tags, attrs)
		return &a, nil
	})
}

// openSearchAttrs converts a domain's status.
func openSearchAttrs(d ostypes.DomainStatus) (map[string]any, error) {
	policy, err := docsPolicy(d.AccessPolicies)
	if err != nil {
		return nil, fmt.Errorf("opensearch domain %s access policy: %w", aws.ToString(d.DomainName), err)
	}
	vpcID, subnets, sgs := "", []any{}, []any{}
	if v := d.VPCOptions; v != nil {
		vpcID, subnets, sgs = aws.ToString(v.VPCId), docsStrings(v.SubnetIds), docsStrings(v.SecurityGroupIds)
	}
	atRest, kmsKey := false, ""
	if e := d.EncryptionAtRestOptions; e != nil {
		atRest, kmsKey = docsBool(e.Enabled), aws.ToString(e.KmsKeyId)
	}
	n2n := d.NodeToNodeEncryptionOptions != nil && docsBool(d.NodeToNodeEncryptionOptions.Enabled)
	https, tls := false, ""
	if e := d.DomainEndpointOptions; e != nil {
		https, tls = docsBool(e.EnforceHTTPS), string(e.TLSSecurityPolicy)
	}
	logs := map[string]any{}
	for k, v := range d.LogPublishingOptions {
		logs[k] = docsBool(v.Enabled)
	}
	fgac := d.AdvancedSecurityOptions != nil && docsBool(d.AdvancedSecurityOptions.Enabled)
	endpoint := aws.ToString(d.Endpoint)
	if endpoint == "" && d.Endpoints != nil {
		endpoint = d.Endpoints["vpc"]
	}
	return map[string]any{
		"domain_name":             aws.ToString(d.DomainName),
		"domain_id":               aws.ToString(d.DomainId),
		"engine_version":          aws.ToString(d.EngineVersion),
		"endpoint":                endpoint,
		"vpc_id":                  vpcID,
		"subnet_ids":              subnets,
		"security_group_ids":      sgs,
		"access_policy":           policy,
		"encryption_at_rest":      atRest,
		"kms_key_id":              kmsKey,
		"node_to_node_encryption": n2n,
		"enforce_https":           https,
		"tls_security_policy":     tls,
		"fine_grained_access":     fgac,
		"log_publishing":          logs,
	}, nil
}
