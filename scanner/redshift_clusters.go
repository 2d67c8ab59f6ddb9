package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"

	"github.com/vigil-sec/vigil/asset"
)

// RedshiftClusters collects the Redshift provisioned clusters of a region
// (aws.redshift.cluster).
type RedshiftClusters struct{}

// NewRedshiftClusters returns the aws.redshift.cluster collector.
func NewRedshiftClusters() *RedshiftClusters { return &RedshiftClusters{} }

// Type returns aws.redshift.cluster.
func (*RedshiftClusters) Type() string { return asset.TypeRedshiftCluster }

// Global reports false: clusters are regional.
func (*RedshiftClusters) Global() bool { return false }

// Collect lists the clusters (one paged DescribeClusters; tags come with
// each cluster).
func (*RedshiftClusters) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	out := []asset.Asset{}
	p := redshift.NewDescribeClustersPaginator(s.Redshift(), &redshift.DescribeClustersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("redshift describe clusters: %w", err)
		}
		for _, c := range page.Clusters {
			out = append(out, redshiftAsset(s, c))
		}
	}
	return out, nil
}

func redshiftAsset(s *Session, c rstypes.Cluster) asset.Asset {
	id := aws.ToString(c.ClusterIdentifier)
	tags := map[string]string{}
	for _, t := range c.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	address := ""
	if c.Endpoint != nil {
		address = aws.ToString(c.Endpoint.Address)
	}
	sgs := make([]any, 0, len(c.VpcSecurityGroups))
	for _, g := range c.VpcSecurityGroups {
		sgs = append(sgs, aws.ToString(g.VpcSecurityGroupId))
	}
	attrs := map[string]any{
		"cluster_identifier":                id,
		"node_type":                         aws.ToString(c.NodeType),
		"number_of_nodes":                   docsInt32(c.NumberOfNodes),
		"cluster_status":                    aws.ToString(c.ClusterStatus),
		"publicly_accessible":               docsBool(c.PubliclyAccessible),
		"endpoint_address":                  address,
		"encrypted":                         docsBool(c.Encrypted),
		"kms_key_id":                        aws.ToString(c.KmsKeyId),
		"enhanced_vpc_routing":              docsBool(c.EnhancedVpcRouting),
		"vpc_id":                            aws.ToString(c.VpcId),
		"vpc_security_group_ids":            sgs,
		"automated_snapshot_retention_days": docsInt32(c.AutomatedSnapshotRetentionPeriod),
		"allow_version_upgrade":             docsBool(c.AllowVersionUpgrade),
		"master_username":                   aws.ToString(c.MasterUsername),
		"create_time":                       docsTime(c.ClusterCreateTime),
	}
	return docsAsset(s, asset.TypeRedshiftCluster, regionalARN(s, "redshift", "cluster:"+id), id, s.Region, tags, attrs)
}
