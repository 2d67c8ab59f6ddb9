package scanner

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3control"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	smithyendpoints "github.com/aws/smithy-go/endpoints"
)

// Session is what a collector gets for one unit: credentials for the
// account, the unit's region, and the scan's context.
type Session struct {
	Config   aws.Config // credentials of the account; Region is the unit's region (us-east-1 for global units)
	Account  string
	Region   string   // the unit's region, or asset.Global
	Regions  []string // every region of this scan (the account collector reads per-region settings)
	Endpoint string   // AWS_ENDPOINT_URL when set: path-style S3 and a fixed s3control host
	Now      time.Time
	// Detail is how many resources a collector describes at once; 0 means
	// detailConcurrency. The runner sets it to the scan's request budget:
	// the budget, applied to Config, is what bounds requests in flight.
	Detail int
}

// Fanout returns how many resources of the unit to describe at once.
func (s *Session) Fanout() int {
	if s.Detail > 0 {
		return s.Detail
	}
	return detailConcurrency
}

// EndpointFromEnv returns AWS_ENDPOINT_URL (or "" for real AWS).
func EndpointFromEnv() string { return os.Getenv("AWS_ENDPOINT_URL") }

// ForRegion returns a copy of the session's config for another region.
func (s *Session) ForRegion(region string) aws.Config {
	c := s.Config.Copy()
	c.Region = region
	return c
}

// EC2 returns an EC2 client for the unit's region.
func (s *Session) EC2() *ec2.Client { return ec2.NewFromConfig(s.Config) }

// EC2In returns an EC2 client for a region.
func (s *Session) EC2In(region string) *ec2.Client { return ec2.NewFromConfig(s.ForRegion(region)) }

// S3 returns an S3 client; path-style addressing when an endpoint is set.
func (s *Session) S3() *s3.Client { return NewS3(s.Config, s.Endpoint) }

// S3In returns an S3 client for a bucket's region.
func (s *Session) S3In(region string) *s3.Client { return NewS3(s.ForRegion(region), s.Endpoint) }

// S3Control returns an s3control client that reaches a custom endpoint
// without putting the account ID in the host name.
func (s *Session) S3Control() *s3control.Client { return NewS3Control(s.Config, s.Endpoint) }

// IAM returns an IAM client.
func (s *Session) IAM() *iam.Client { return iam.NewFromConfig(s.Config) }

// STS returns an STS client.
func (s *Session) STS() *sts.Client { return sts.NewFromConfig(s.Config) }

// RDS returns an RDS client for the unit's region.
func (s *Session) RDS() *rds.Client { return rds.NewFromConfig(s.Config) }

// Lambda returns a Lambda client for the unit's region.
func (s *Session) Lambda() *lambda.Client { return lambda.NewFromConfig(s.Config) }

// KMS returns a KMS client for the unit's region.
func (s *Session) KMS() *kms.Client { return kms.NewFromConfig(s.Config) }

// CloudTrail returns a CloudTrail client for the unit's region.
func (s *Session) CloudTrail() *cloudtrail.Client { return cloudtrail.NewFromConfig(s.Config) }

// ELBv2 returns an ELBv2 client for the unit's region.
func (s *Session) ELBv2() *elbv2.Client { return elbv2.NewFromConfig(s.Config) }

// NewS3 builds an S3 client, path-style when endpoint is set (local emulators).
func NewS3(cfg aws.Config, endpoint string) *s3.Client {
	return s3.NewFromConfig(cfg, func(o *s3.Options) {
		if endpoint != "" {
			o.UsePathStyle = true
		}
	})
}

// NewS3Control builds an s3control client. With a custom endpoint the SDK's
// resolver would prefix the host with the account ID; this one keeps the
// endpoint as given.
func NewS3Control(cfg aws.Config, endpoint string) *s3control.Client {
	return s3control.NewFromConfig(cfg, func(o *s3control.Options) {
		if endpoint != "" {
			o.EndpointResolverV2 = fixedS3Control{endpoint: endpoint}
		}
	})
}

type fixedS3Control struct{ endpoint string }

// ResolveEndpoint returns the configured endpoint unchanged.
func (f fixedS3Control) ResolveEndpoint(_ context.Context, _ s3control.EndpointParameters) (smithyendpoints.Endpoint, error) {
	u, err := url.Parse(f.endpoint)
	if err != nil {
		return smithyendpoints.Endpoint{}, fmt.Errorf("s3control endpoint %q: %w", f.endpoint, err)
	}
	return smithyendpoints.Endpoint{URI: *u}, nil
}
