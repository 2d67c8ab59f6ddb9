package scanner

import (
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/cloudfront"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
	"github.com/aws/aws-sdk-go-v2/service/opensearch"
	"github.com/aws/aws-sdk-go-v2/service/redshift"
	"github.com/aws/aws-sdk-go-v2/service/route53"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"
)

// ConfigService returns an AWS Config client for the unit's region.
func (s *Session) ConfigService() *configservice.Client {
	return configservice.NewFromConfig(s.Config)
}

// SecurityHub returns a Security Hub client for the unit's region.
func (s *Session) SecurityHub() *securityhub.Client { return securityhub.NewFromConfig(s.Config) }

// GuardDuty returns a GuardDuty client for the unit's region.
func (s *Session) GuardDuty() *guardduty.Client { return guardduty.NewFromConfig(s.Config) }

// AccessAnalyzer returns an IAM Access Analyzer client for the unit's region.
func (s *Session) AccessAnalyzer() *accessanalyzer.Client {
	return accessanalyzer.NewFromConfig(s.Config)
}

// ACM returns a Certificate Manager client for the unit's region.
func (s *Session) ACM() *acm.Client { return acm.NewFromConfig(s.Config) }

// CloudFront returns a CloudFront client (a global service, reached in
// us-east-1).
func (s *Session) CloudFront() *cloudfront.Client { return cloudfront.NewFromConfig(s.Config) }

// ELB returns a classic Elastic Load Balancing client for the unit's region.
func (s *Session) ELB() *elb.Client { return elb.NewFromConfig(s.Config) }

// Redshift returns a Redshift client for the unit's region.
func (s *Session) Redshift() *redshift.Client { return redshift.NewFromConfig(s.Config) }

// OpenSearch returns an OpenSearch Service client for the unit's region.
func (s *Session) OpenSearch() *opensearch.Client { return opensearch.NewFromConfig(s.Config) }

// ElastiCache returns an ElastiCache client for the unit's region.
func (s *Session) ElastiCache() *elasticache.Client { return elasticache.NewFromConfig(s.Config) }

// APIGateway returns an API Gateway (REST APIs) client for the unit's region.
func (s *Session) APIGateway() *apigateway.Client { return apigateway.NewFromConfig(s.Config) }

// Route53 returns a Route 53 client (a global service).
func (s *Session) Route53() *route53.Client { return route53.NewFromConfig(s.Config) }
