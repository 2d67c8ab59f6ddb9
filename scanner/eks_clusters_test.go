package scanner

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	ekstypes "github.com/aws/aws-sdk-go-v2/service/eks/types"
)

func TestEKSClustersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.EKS(), docsOK(t)
	role := aws.String("arn:aws:iam::123456789012:role/eks")
	locked, err := c.CreateCluster(ctx, &eks.CreateClusterInput{Name: aws.String("prod"), RoleArn: role, Version: aws.String("1.31"),
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1", "subnet-2"},
			EndpointPublicAccess: aws.Bool(false), EndpointPrivateAccess: aws.Bool(true)},
		Logging: &ekstypes.Logging{ClusterLogging: []ekstypes.LogSetup{{Enabled: aws.Bool(true),
			Types: []ekstypes.LogType{ekstypes.LogTypeAudit, ekstypes.LogTypeApi}}}},
		EncryptionConfig: []ekstypes.EncryptionConfig{{Resources: []string{"secrets"},
			Provider: &ekstypes.Provider{KeyArn: aws.String("arn:aws:kms:us-east-1:123456789012:key/k1")}}},
		Tags: map[string]string{"team": "platform"}})
	ok(locked, err)
	open, err := c.CreateCluster(ctx, &eks.CreateClusterInput{Name: aws.String("sandbox"), RoleArn: role,
		ResourcesVpcConfig: &ekstypes.VpcConfigRequest{SubnetIds: []string{"subnet-1"}, EndpointPublicAccess: aws.Bool(true),
			PublicAccessCidrs: []string{"0.0.0.0/0"}}})
	ok(open, err)

	got := docsCollect(t, NewEKSClusters(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d clusters, want 2", len(got))
	}
	p, sb := got[aws.ToString(locked.Cluster.Arn)], got[aws.ToString(open.Cluster.Arn)]
	if p.ID == "" || sb.ID == "" {
		t.Fatalf("clusters not under their ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "cluster_name", "version", "platform_version", "status", "role_arn", "vpc_id", "security_group_ids",
			"endpoint_public_access", "endpoint_private_access", "public_access_cidrs", "enabled_log_types",
			"secrets_encrypted", "secrets_kms_key_arn", "created_at")
		raw, _ := json.Marshal(a)
		if strings.Contains(strings.ToLower(string(raw)), "certificate") {
			t.Errorf("%s: certificate authority data reached the asset: %s", a.Name, raw)
		}
	}
	if p.Name != "prod" || p.Tags["team"] != "platform" {
		t.Errorf("prod: name %q tags %v", p.Name, p.Tags)
	}
	docsWant(t, p, "endpoint_public_access", false)
	docsWant(t, p, "endpoint_private_access", true)
	docsWant(t, sb, "endpoint_public_access", true)
	if cidrs := docsList(t, sb, "public_access_cidrs"); !docsContains(cidrs, "0.0.0.0/0") {
		t.Errorf("sandbox public_access_cidrs = %v", cidrs)
	}
	if logs := docsList(t, p, "enabled_log_types"); !reflect.DeepEqual(logs, []any{"api", "audit"}) {
		t.Errorf("prod enabled_log_types = %v, want [api audit]", logs)
	}
	if logs := docsList(t, sb, "enabled_log_types"); len(logs) != 0 {
		t.Errorf("sandbox enabled_log_types = %v, want none", logs)
	}
	docsWant(t, p, "secrets_encrypted", true)
	docsWant(t, p, "secrets_kms_key_arn", "arn:aws:kms:us-east-1:123456789012:key/k1")
	docsWant(t, sb, "secrets_encrypted", false)
	docsWant(t, p, "version", "1.31")
}
