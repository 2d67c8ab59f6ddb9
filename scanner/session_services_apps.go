package scanner

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/eks"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// SQS returns an SQS client for the unit's region.
func (s *Session) SQS() *sqs.Client { return sqs.NewFromConfig(s.Config) }

// SNS returns an SNS client for the unit's region.
func (s *Session) SNS() *sns.Client { return sns.NewFromConfig(s.Config) }

// DynamoDB returns a DynamoDB client for the unit's region.
func (s *Session) DynamoDB() *dynamodb.Client { return dynamodb.NewFromConfig(s.Config) }

// ECR returns an ECR client for the unit's region.
func (s *Session) ECR() *ecr.Client { return ecr.NewFromConfig(s.Config) }

// SecretsManager returns a Secrets Manager client for the unit's region.
func (s *Session) SecretsManager() *secretsmanager.Client {
	return secretsmanager.NewFromConfig(s.Config)
}

// EKS returns an EKS client for the unit's region.
func (s *Session) EKS() *eks.Client { return eks.NewFromConfig(s.Config) }

// ECS returns an ECS client for the unit's region.
func (s *Session) ECS() *ecs.Client { return ecs.NewFromConfig(s.Config) }
