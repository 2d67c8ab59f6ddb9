package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"

	"github.com/vigil-sec/vigil/asset"
)

// SecurityHubs collects the Security Hub of a region
// (aws.securityhub.hub): always one asset per region, enabled or not, under
// the hub's fixed ARN arn:...:securityhub:REGION:ACCOUNT:hub/default, so
// turning the hub on closes the violation of the same asset.
type SecurityHubs struct{}

// NewSecurityHubs returns the aws.securityhub.hub collector.
func NewSecurityHubs() *SecurityHubs { return &SecurityHubs{} }

// Type returns aws.securityhub.hub.
func (*SecurityHubs) Type() string { return asset.TypeSecurityHub }

// Global reports false: Security Hub is enabled per region.
func (*SecurityHubs) Global() bool { return false }

// Collect calls DescribeHub; when the hub is enabled, also
// GetEnabledStandards and ListEnabledProductsForImport (both paged).
func (*SecurityHubs) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.SecurityHub()
	arn := regionalARN(s, "securityhub", "hub/default")
	attrs := map[string]any{"enabled": false, "subscribed_at": "", "auto_enable_controls": false,
		"standards": []any{}, "integrations": []any{}}
	hub, err := client.DescribeHub(ctx, &securityhub.DescribeHubInput{})
	if err != nil {
		// AWS answers InvalidAccessException when the account is not
		// subscribed in the region; moto 5.2.1 answers ResourceNotFoundException.
		if !docsIsCode(err, "InvalidAccessException", "ResourceNotFoundException") {
			return nil, fmt.Errorf("securityhub describe hub: %w", err)
		}
		return []asset.Asset{docsAsset(s, asset.TypeSecurityHub, arn, "security hub ("+s.Region+")", s.Region, nil, attrs)}, nil
	}
	if h := aws.ToString(hub.HubArn); h != "" {
		arn = h
	}
	attrs["enabled"] = true
	attrs["subscribed_at"] = aws.ToString(hub.SubscribedAt)
	attrs["auto_enable_controls"] = docsBool(hub.AutoEnableControls)
	standards := []any{}
	sp := securityhub.NewGetEnabledStandardsPaginator(client, &securityhub.GetEnabledStandardsInput{})
	for sp.HasMorePages() {
		page, err := sp.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("securityhub get enabled standards: %w", err)
		}
		for _, st := range page.StandardsSubscriptions {
			standards = append(standards, map[string]any{"standards_arn": aws.ToString(st.StandardsArn), "status": string(st.StandardsStatus)})
		}
	}
	integrations := []any{}
	ip := securityhub.NewListEnabledProductsForImportPaginator(client, &securityhub.ListEnabledProductsForImportInput{})
	for ip.HasMorePages() {
		page, err := ip.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("securityhub list enabled products for import: %w", err)
		}
		integrations = append(integrations, docsStrings(page.ProductSubscriptions)...)
	}
	attrs["standards"], attrs["integrations"] = standards, integrations
	return []asset.Asset{docsAsset(s, asset.TypeSecurityHub, arn, "security hub ("+s.Region+")", s.Region, nil, attrs)}, nil
}
