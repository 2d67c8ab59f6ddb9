package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	ectypes "github.com/aws/aws-sdk-go-v2/service/elasticache/types"
)

func TestElastiCacheReplicationGroupsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	ok(s.ElastiCache().CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("sessions"),
		ReplicationGroupDescription: aws.String("web sessions"), Engine: aws.String("redis"), CacheNodeType: aws.String("cache.t3.micro"),
		AtRestEncryptionEnabled: aws.Bool(true), TransitEncryptionEnabled: aws.Bool(true),
		Tags: []ectypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}))
	ok(s.ElastiCache().CreateReplicationGroup(ctx, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("scratch"),
		ReplicationGroupDescription: aws.String("scratch cache"), Engine: aws.String("redis"), CacheNodeType: aws.String("cache.t3.micro")}))

	got := docsCollect(t, NewElastiCacheReplicationGroups(), s)
	if len(got) != 2 {
		t.Fatalf("%d replication groups, want 2: %v", len(got), got)
	}
	byName := map[string]map[string]any{}
	for _, a := range got {
		byName[a.Name] = a.Attrs
		docsHasKeys(t, a, "replication_group_id", "description", "engine", "status", "cache_node_type", "at_rest_encryption",
			"transit_encryption", "transit_encryption_mode", "auth_token_enabled", "kms_key_id", "automatic_failover", "multi_az",
			"snapshot_retention_limit", "auto_minor_version_upgrade", "member_clusters")
		if a.Name == "sessions" && a.Tags["env"] != "prod" {
			t.Errorf("sessions tags %v", a.Tags)
		}
	}
	if byName["sessions"]["at_rest_encryption"] != true || byName["sessions"]["transit_encryption"] != true {
		t.Errorf("sessions %v", byName["sessions"])
	}
	if byName["scratch"]["at_rest_encryption"] != false || byName["scratch"]["transit_encryption"] != false {
		t.Errorf("scratch %v", byName["scratch"])
	}
}
