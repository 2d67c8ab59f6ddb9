package scanner

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/vigil-sec/vigil/asset"
)

// DynamoDBTables collects the DynamoDB tables of a region
// (aws.dynamodb.table) with their encryption, point-in-time recovery and
// deletion protection. Items are never read.
type DynamoDBTables struct{}

// NewDynamoDBTables returns the aws.dynamodb.table collector.
func NewDynamoDBTables() *DynamoDBTables { return &DynamoDBTables{} }

// Type returns aws.dynamodb.table.
func (*DynamoDBTables) Type() string { return asset.TypeDynamoDBTable }

// Global reports false: tables are regional.
func (*DynamoDBTables) Global() bool { return false }

// Collect lists the region's tables (paged ListTables) and describes each.
func (*DynamoDBTables) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.DynamoDB()
	var names []string
	p := dynamodb.NewListTablesPaginator(client, &dynamodb.ListTablesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("dynamodb list tables: %w", err)
		}
		names = append(names, page.TableNames...)
	}
	return docsDescribeEach(ctx, names, s.Fanout(), func(ctx context.Context, name string) (*asset.Asset, error) {
		a, err := dynamoDescribe(ctx, s, client, name)
		if err != nil {
			return nil, fmt.Errorf("dynamodb table %s: %w", name, err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// dynamoDescribe reads one table, its continuous backups and its tags, or
// nil when it was deleted after the listing.
func dynamoDescribe(ctx context.Context, s *Session, client *dynamodb.Client, name string) (*asset.Asset, error) {
	out, err := client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("describe table: %w", err)
	}
	t := out.Table
	if t == nil {
		return nil, nil
	}
	arn := aws.ToString(t.TableArn)
	backups, err := client.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String(name)})
	if err != nil {
		if docsIsCode(err, "ResourceNotFoundException", "TableNotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("describe continuous backups: %w", err)
	}
	pitr := false
	if cb := backups.ContinuousBackupsDescription; cb != nil && cb.PointInTimeRecoveryDescription != nil {
		pitr = cb.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus == ddbtypes.PointInTimeRecoveryStatusEnabled
	}
	tags := map[string]string{}
	for token := (*string)(nil); ; {
		page, err := client.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: aws.String(arn), NextToken: token})
		if err != nil {
			if docsIsCode(err, "ResourceNotFoundException") {
				return nil, nil
			}
			return nil, fmt.Errorf("list tags: %w", err)
		}
		for _, tag := range page.Tags {
			tags[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
		}
		if token = page.NextToken; token == nil || *token == "" {
			break
		}
	}
	// No SSEDescription means the AWS owned key (encryption at rest is
	// always on); KMS means an AWS managed or customer managed key.
	sseType, kmsKey := "AWS_OWNED", ""
	if sse := t.SSEDescription; sse != nil && sse.SSEType != "" {
		sseType, kmsKey = string(sse.SSEType), aws.ToString(sse.KMSMasterKeyArn)
	}
	billing := "PROVISIONED"
	if t.BillingModeSummary != nil && t.BillingModeSummary.BillingMode != "" {
		billing = string(t.BillingModeSummary.BillingMode)
	}
	attrs := map[string]any{
		"table_name":          name,
		"table_status":        string(t.TableStatus),
		"billing_mode":        billing,
		"item_count":          aws.ToInt64(t.ItemCount),
		"size_bytes":          aws.ToInt64(t.TableSizeBytes),
		"sse_type":            sseType,
		"kms_key_arn":         kmsKey,
		"pitr_enabled":        pitr,
		"deletion_protection": docsBool(t.DeletionProtectionEnabled),
		"stream_enabled":      t.StreamSpecification != nil && docsBool(t.StreamSpecification.StreamEnabled),
		"creation_time":       docsTime(t.CreationDateTime),
	}
	a := docsAsset(s, asset.TypeDynamoDBTable, arn, name, s.Region, tags, attrs)
	return &a, nil
}
