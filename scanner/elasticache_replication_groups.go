package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/vigil-sec/vigil/asset"
)

// ElastiCacheReplicationGroups collects the ElastiCache (Redis OSS and
// Valkey) replication groups of a region (aws.elasticache.replication-group).
type ElastiCacheReplicationGroups struct{}

// NewElastiCacheReplicationGroups returns the
// aws.elasticache.replication-group collector.
func NewElastiCacheReplicationGroups() *ElastiCacheReplicationGroups {
	return &ElastiCacheReplicationGroups{}
}

// Type returns aws.elasticache.replication-group.
func (*ElastiCacheReplicationGroups) Type() string { return asset.TypeElastiCacheGroup }

// Global reports false: replication groups are regional.
func (*ElastiCacheReplicationGroups) Global() bool { return false }

// Collect lists the replication groups (paged) and reads each one's tags.
func (*ElastiCacheReplicationGroups) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.ElastiCache()
	var groups []ectypes.ReplicationGroup
	p := elasticache.NewDescribeReplicationGroupsPaginator(client, &elasticache.DescribeReplicationGroupsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("elasticache describe replication groups: %w", err)
		}
		groups = append(groups, page.ReplicationGroups...)
	}
	return docsDescribeEach(ctx, groups, s.Fanout(), func(ctx context.Context, g ectypes.ReplicationGroup) (*asset.Asset, error) {
		id := aws.ToString(g.ReplicationGroupId)
		arn := aws.ToString(g.ARN)
		if arn == "" {
			arn = regionalARN(s, "elasticache", "replicationgroup:"+id)
		}
		tagsOut, err := client.ListTagsForResource(ctx, &elasticache.ListTagsForResourceInput{ResourceName: aws.String(arn)})
		if err != nil {
			if docsIsCode(err, "ReplicationGroupNotFoundFault") {
				return nil, nil
			}
			return nil, fmt.Errorf("elasticache list tags %s: %w", id, err)
		}
		tags := map[string]string{}
		for _, t := range tagsOut.TagList {
			tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
		}
		attrs := map[string]any{
			"replication_group_id":       id,
			"description":                aws.ToString(g.Description),
			"engine":                     aws.ToString(g.Engine),
			"status":                     aws.ToString(g.Status),
			"cache_node_type":            aws.ToString(g.CacheNodeType),
			"at_rest_encryption":         docsBool(g.AtRestEncryptionEnabled),
			"transit_encryption":         docsBool(g.TransitEncryptionEnabled),
			"transit_encryption_mode":    string(g.TransitEncryptionMode),
			"auth_token_enabled":         docsBool(g.AuthTokenEnabled),
			"kms_key_id":                 aws.ToString(g.KmsKeyId),
			"automatic_failover":         string(g.AutomaticFailover),
			"multi_az":                   string(g.MultiAZ),
			"snapshot_retention_limit":   docsInt32(g.SnapshotRetentionLimit),
			"auto_minor_version_upgrade": docsBool(g.AutoMinorVersionUpgrade),
			"member_clusters":            docsStrings(g.MemberClusters),
		}
		a := docsAsset(s, asset.TypeElastiCacheGroup, arn, id, s.Region, tags, attrs)
		return &a, nil
	})
}
