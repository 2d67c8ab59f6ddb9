package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"

	"github.com/vigil-sec/vigil/asset"
)

// GuardDutyDetectors collects the GuardDuty detector of a region
// (aws.guardduty.detector); a region without one yields a placeholder with
// exists false (ID arn:...:guardduty:REGION:ACCOUNT:detector/none).
type GuardDutyDetectors struct{}

// NewGuardDutyDetectors returns the aws.guardduty.detector collector.
func NewGuardDutyDetectors() *GuardDutyDetectors { return &GuardDutyDetectors{} }

// Type returns aws.guardduty.detector.
func (*GuardDutyDetectors) Type() string { return asset.TypeGuardDuty }

// Global reports false: detectors are regional.
func (*GuardDutyDetectors) Global() bool { return false }

// Collect lists the detectors (paged) and calls GetDetector for each (a
// region has at most one).
func (*GuardDutyDetectors) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.GuardDuty()
	var ids []string
	p := guardduty.NewListDetectorsPaginator(client, &guardduty.ListDetectorsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("guardduty list detectors: %w", err)
		}
		ids = append(ids, page.DetectorIds...)
	}
	if len(ids) == 0 {
		return []asset.Asset{regionPlaceholder(s, asset.TypeGuardDuty, "guardduty", "detector", map[string]any{
			"detector_id": "", "status": "", "finding_publishing_frequency": "", "created_at": "", "features": []any{},
		})}, nil
	}
	out := make([]asset.Asset, 0, len(ids))
	for _, id := range ids {
		d, err := client.GetDetector(ctx, &guardduty.GetDetectorInput{DetectorId: aws.String(id)})
		if err != nil {
			if docsIsCode(err, "BadRequestException") { // deleted since the listing
				continue
			}
			return nil, fmt.Errorf("guardduty get detector %s: %w", id, err)
		}
		features := []any{}
		for _, f := range d.Features {
			features = append(features, map[string]any{"name": string(f.Name), "status": string(f.Status)})
		}
		attrs := map[string]any{
			"exists":                       true,
			"detector_id":                  id,
			"status":                       string(d.Status),
			"finding_publishing_frequency": string(d.FindingPublishingFrequency),
			"created_at":                   aws.ToString(d.CreatedAt),
			"features":                     features,
		}
		out = append(out, docsAsset(s, asset.TypeGuardDuty, regionalARN(s, "guardduty", "detector/"+id), id, s.Region, d.Tags, attrs))
	}
	return out, nil
}
