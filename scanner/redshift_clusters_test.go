package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	rstypes "github.com/aws/aws-sdk-go-v2/service/redshift/types"
)

func TestRedshiftClustersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	create := func(id string, public, encrypted bool) {
		ok(s.Redshift().CreateCluster(ctx, &redshift.CreateClusterInput{ClusterIdentifier: aws.String(id), NodeType: aws.String("dc2.large"),
			MasterUsername: aws.String("admin"), MasterUserPassword: aws.String("Not-a-secret-1"), ClusterType: aws.String("single-node"),
			PubliclyAccessible: aws.Bool(public), Encrypted: aws.Bool(encrypted), Tags: []rstypes.Tag{{Key: aws.String("env"), Value: aws.String(id)}}}))
	}
	create("warehouse", true, false)
	create("vault", false, true)

	got := docsCollect(t, NewRedshiftClusters(), s)
	w := got["arn:aws:redshift:us-east-1:123456789012:cluster:warehouse"]
	v := got["arn:aws:redshift:us-east-1:123456789012:cluster:vault"]
	if len(got) != 2 || w.ID == "" || v.ID == "" {
		t.Fatalf("clusters %v, want warehouse and vault under their ARNs", got)
	}
	docsHasKeys(t, w, "cluster_identifier", "node_type", "number_of_nodes", "cluster_status", "publicly_accessible", "endpoint_address",
		"encrypted", "kms_key_id", "enhanced_vpc_routing", "vpc_id", "vpc_security_group_ids", "automated_snapshot_retention_days",
		"allow_version_upgrade", "master_username", "create_time")
	docsWant(t, w, "publicly_accessible", true)
	docsWant(t, w, "encrypted", false)
	docsWant(t, v, "publicly_accessible", false)
	docsWant(t, v, "encrypted", true)
	if w.Tags["env"] != "warehouse" || w.Name != "warehouse" {
		t.Errorf("warehouse name %q tags %v", w.Name, w.Tags)
	}
}
