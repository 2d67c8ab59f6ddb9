package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"

	"github.com/vigil-sec/vigil/asset"
)

// ECRRepositories collects the private ECR repositories of a region
// (aws.ecr.repository) with their scanning, tag mutability, encryption and
// repository policy.
type ECRRepositories struct{}

// NewECRRepositories returns the aws.ecr.repository collector.
func NewECRRepositories() *ECRRepositories { return &ECRRepositories{} }

// Type returns aws.ecr.repository.
func (*ECRRepositories) Type() string { return asset.TypeECRRepository }

// Global reports false: repositories are regional.
func (*ECRRepositories) Global() bool { return false }

// Collect lists the region's repositories (paged DescribeRepositories) and
// reads each one's policy and tags.
func (*ECRRepositories) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ECR()
	var repos []ecrtypes.Repository
	p := ecr.NewDescribeRepositoriesPaginator(client, &ecr.DescribeRepositoriesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("ecr describe repositories: %w", err)
		}
		repos = append(repos, page.Repositories...)
	}
	return docsDescribeEach(ctx, repos, s.Fanout(), func(ctx context.Context, r ecrtypes.Repository) (*asset.Asset, error) {
		a, err := ecrDescribe(ctx, s, client, r)
		if err != nil {
			return nil, fmt.Errorf("ecr repository %s: %w", aws.ToString(r.RepositoryName), err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// ecrDescribe reads one repository's policy and tags, or nil when it was
// deleted after the listing.
func ecrDescribe(ctx context.Context, s *Session, client *ecr.Client, r ecrtypes.Repository) (*asset.Asset, error) {
	name := aws.ToString(r.RepositoryName)
	var policy any
	pol, err := client.GetRepositoryPolicy(ctx, &ecr.GetRepositoryPolicyInput{RepositoryName: r.RepositoryName, RegistryId: r.RegistryId})
	switch {
	case err == nil:
		if policy, err = docsPolicy(pol.PolicyText); err != nil {
			return nil, fmt.Errorf("repository policy: %w", err)
		}
	case docsIsCode(err, "RepositoryPolicyNotFoundException"):
		// no policy: only the account's own principals have access
	case docsIsCode(err, "RepositoryNotFoundException"):
		return nil, nil
	default:
		return nil, fmt.Errorf("get repository policy: %w", err)
	}
	tagsOut, err := client.ListTagsForResource(ctx, &ecr.ListTagsForResourceInput{ResourceArn: r.RepositoryArn})
	if err != nil {
		if docsIsCode(err, "RepositoryNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("list tags: %w", err)
	}
	tags := make(map[string]string, len(tagsOut.Tags))
	for _, t := range tagsOut.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	encType, kmsKey := "AES256", ""
	if e := r.EncryptionConfiguration; e != nil && e.EncryptionType != "" {
		encType, kmsKey = string(e.EncryptionType), aws.ToString(e.KmsKey)
	}
	attrs := map[string]any{
		"repository_name":      name,
		"repository_uri":       aws.ToString(r.RepositoryUri),
		"image_tag_mutability": string(r.ImageTagMutability),
		"scan_on_push":         r.ImageScanningConfiguration != nil && r.ImageScanningConfiguration.ScanOnPush,
		"encryption_type":      encType,
		"kms_key":              kmsKey,
		"policy":               policy,
		"created_at":           docsTime(r.CreatedAt),
	}
	a := docsAsset(s, asset.TypeECRRepository, aws.ToString(r.RepositoryArn), name, s.Region, tags, attrs)
	return &a, nil
}
