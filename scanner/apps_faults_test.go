package scanner

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

// TestAppsCollectorsFailTheUnitOnAnUnexpectedError denies one per-resource
// call of each batch-A collector that makes one: the collector returns an
// error (the unit fails and keeps what it knew) instead of a shorter list.
func TestAppsCollectorsFailTheUnitOnAnUnexpectedError(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	ok(s.SQS().CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("q")}))
	ok(s.ECR().CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String("r")}))
	ok(s.DynamoDB().CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("t"),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest}))
	for _, c := range []struct {
		collector Collector
		op        string // the X-Amz-Target operation denied
	}{
		{NewSQSQueues(), "GetQueueAttributes"},
		{NewSQSQueues(), "ListQueueTags"},
		{NewECRRepositories(), "GetRepositoryPolicy"},
		{NewDynamoDBTables(), "DescribeContinuousBackups"},
	} {
		var denied atomic.Int32
		proxy := docsDenyProxy(t, srv.URL, func(r *http.Request, _ string) bool {
			if strings.HasSuffix(r.Header.Get("X-Amz-Target"), "."+c.op) {
				denied.Add(1)
				return true
			}
			return false
		})
		got, err := c.collector.Collect(ctx, docsThrough(s, proxy))
		if err == nil || got != nil {
			t.Errorf("%s with %s denied: %d assets, err %v; want an error and no list", c.collector.Type(), c.op, len(got), err)
		}
		if denied.Load() == 0 {
			t.Errorf("%s: %s was never called", c.collector.Type(), c.op)
		}
	}
}
