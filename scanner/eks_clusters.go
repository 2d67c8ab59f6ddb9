package scanner

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"

	"github.com/vigil-sec/vigil/asset"
)

// EKSClusters collects the EKS clusters of a region (aws.eks.cluster) with
// their API endpoint access, control-plane logging and secrets encryption.
// The cluster's certificate authority data is never kept.
type EKSClusters struct{}

// NewEKSClusters returns the aws.eks.cluster collector.
func NewEKSClusters() *EKSClusters { return &EKSClusters{} }

// Type returns aws.eks.cluster.
func (*EKSClusters) Type() string { return asset.TypeEKSCluster }

// Global reports false: clusters are regional.
func (*EKSClusters) Global() bool { return false }

// Collect lists the region's clusters (paged ListClusters) and describes
// each (tags come with the description).
func (*EKSClusters) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.EKS()
	var names []string
	p := eks.NewListClustersPaginator(client, &eks.ListClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("eks list clusters: %w", err)
		}
		names = append(names, page.Clusters...)
	}
	return docsDescribeEach(ctx, names, s.Fanout(), func(ctx context.Context, name string) (*asset.Asset, error) {
		a, err := eksDescribe(ctx, s, client, name)
		if err != nil {
			return nil, fmt.Errorf("eks cluster %s: %w", name, err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// eksDescribe reads one cluster, or nil when it was deleted after the
// listing.
func eksDescribe(ctx context.Context, s *Session, client *eks.Client, name string) (*asset.Asset, error) {
	out, err := client.DescribeCluster(ctx, &eks.DescribeClusterInput{Name: aws.String(name)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("describe cluster: %w", err)
	}
	c := out.Cluster
	if c == nil {
		return nil, nil
	}
	public, private, vpc := false, false, ""
	cidrs, sgs := []string{}, []string{}
	if v := c.ResourcesVpcConfig; v != nil {
		public, private, vpc = v.EndpointPublicAccess, v.EndpointPrivateAccess, aws.ToString(v.VpcId)
		cidrs, sgs = append(cidrs, v.PublicAccessCidrs...), append(sgs, v.SecurityGroupIds...)
	}
	logTypes := []string{}
	if c.Logging != nil {
		for _, ls := range c.Logging.ClusterLogging {
			if docsBool(ls.Enabled) {
				for _, t := range ls.Types {
					logTypes = append(logTypes, string(t))
				}
			}
		}
	}
	slices.Sort(logTypes)
	secretsKey, secretsEncrypted := "", false
	for _, e := range c.EncryptionConfig {
		if slices.Contains(e.Resources, "secrets") {
			secretsEncrypted = true
			if e.Provider != nil {
				secretsKey = aws.ToString(e.Provider.KeyArn)
			}
		}
	}
	attrs := map[string]any{
		"cluster_name":            name,
		"version":                 aws.ToString(c.Version),
		"platform_version":        aws.ToString(c.PlatformVersion),
		"status":                  string(c.Status),
		"role_arn":                aws.ToString(c.RoleArn),
		"vpc_id":                  vpc,
		"security_group_ids":      docsStrings(sgs),
		"endpoint_public_access":  public,
		"endpoint_private_access": private,
		"public_access_cidrs":     docsStrings(cidrs),
		"enabled_log_types":       docsStrings(logTypes),
		"secrets_encrypted":       secretsEncrypted,
		"secrets_kms_key_arn":     secretsKey,
		"created_at":              docsTime(c.CreatedAt),
	}
	a := docsAsset(s, asset.TypeEKSCluster, aws.ToString(c.Arn), name, s.Region, c.Tags, attrs)
	return &a, nil
}
