package scanner

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/efs"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

// Logs returns a CloudWatch Logs client for the unit's region.
func (s *Session) Logs() *cloudwatchlogs.Client { return cloudwatchlogs.NewFromConfig(s.Config) }

// CloudWatch returns a CloudWatch client for the unit's region.
func (s *Session) CloudWatch() *cloudwatch.Client { return cloudwatch.NewFromConfig(s.Config) }

// SNSIn returns an SNS client for a region (an alarm's topic lives in the
// alarm's region, but its ARN says so).
func (s *Session) SNSIn(region string) *sns.Client { return sns.NewFromConfig(s.ForRegion(region)) }

// EFS returns an EFS client for the unit's region.
func (s *Session) EFS() *efs.Client { return efs.NewFromConfig(s.Config) }
