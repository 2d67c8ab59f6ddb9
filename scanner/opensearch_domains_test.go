package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/opensearch"
	ostypes "github.com/aws/aws-sdk-go-v2/service/opensearch/types"
)

func TestOpenSearchDomainsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx := context.Background()
	open, err := s.OpenSearch().CreateDomain(ctx, &opensearch.CreateDomainInput{DomainName: aws.String("logs-open"),
		AccessPolicies: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"es:*","Resource":"arn:aws:es:us-east-1:123456789012:domain/logs-open/*"}]}`),
		TagList:        []ostypes.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}})
	if err != nil {
		t.Fatalf("seed domain: %v", err)
	}
	closed, err := s.OpenSearch().CreateDomain(ctx, &opensearch.CreateDomainInput{DomainName: aws.String("search-private"),
		EncryptionAtRestOptions:     &ostypes.EncryptionAtRestOptions{Enabled: aws.Bool(true)},
		NodeToNodeEncryptionOptions: &ostypes.NodeToNodeEncryptionOptions{Enabled: aws.Bool(true)},
		DomainEndpointOptions:       &ostypes.DomainEndpointOptions{EnforceHTTPS: aws.Bool(true)}})
	if err != nil {
		t.Fatalf("seed domain: %v", err)
	}

	got := docsCollect(t, NewOpenSearchDomains(), s)
	o, c := got[aws.ToString(open.DomainStatus.ARN)], got[aws.ToString(closed.DomainStatus.ARN)]
	if len(got) != 2 || o.ID == "" || c.ID == "" {
		t.Fatalf("domains %v, want both under their ARNs", got)
	}
	docsHasKeys(t, o, "domain_name", "domain_id", "engine_version", "endpoint", "vpc_id", "subnet_ids", "security_group_ids",
		"access_policy", "encryption_at_rest", "kms_key_id", "node_to_node_encryption", "enforce_https", "tls_security_policy",
		"fine_grained_access", "log_publishing")
	docsWant(t, o, "encryption_at_rest", false)
	docsWant(t, c, "encryption_at_rest", true)
	docsWant(t, c, "node_to_node_encryption", true)
	docsWant(t, c, "enforce_https", true)
	stmts := docsList(t, o, "access_policy.statements")
	if len(stmts) != 1 || !docsContains(stmts[0].(map[string]any)["principals"].([]any), "*") {
		t.Errorf("open domain's policy statements %v", stmts)
	}
	if docsGet(t, c, "access_policy") != nil {
		t.Errorf("domain without a policy has %v", docsGet(t, c, "access_policy"))
	}
	if o.Tags["env"] != "prod" || o.Name != "logs-open" {
		t.Errorf("open domain name %q tags %v", o.Name, o.Tags)
	}
}
