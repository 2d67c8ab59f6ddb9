package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestDynamoDBTablesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.DynamoDB(), docsOK(t)
	create := func(name string, sse *ddbtypes.SSESpecification, tags ...ddbtypes.Tag) *ddbtypes.TableDescription {
		out, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name),
			AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
			KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: ddbtypes.KeyTypeHash}},
			BillingMode:          ddbtypes.BillingModePayPerRequest, SSESpecification: sse, Tags: tags})
		ok(out, err)
		return out.TableDescription
	}
	orders := create("orders", &ddbtypes.SSESpecification{Enabled: aws.Bool(true), SSEType: ddbtypes.SSETypeKms, KMSMasterKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/k1")},
		ddbtypes.Tag{Key: aws.String("team"), Value: aws.String("shop")})
	sessions := create("sessions", nil)
	ok(c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("orders"),
		PointInTimeRecoverySpecification: &ddbtypes.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}}))

	got := docsCollect(t, NewDynamoDBTables(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d tables, want 2", len(got))
	}
	o, ss := got[aws.ToString(orders.TableArn)], got[aws.ToString(sessions.TableArn)]
	if o.ID == "" || ss.ID == "" {
		t.Fatalf("tables not under their ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "table_name", "table_status", "billing_mode", "item_count", "size_bytes", "sse_type",
			"kms_key_arn", "pitr_enabled", "deletion_protection", "stream_enabled", "creation_time")
		docsWant(t, a, "billing_mode", "PAY_PER_REQUEST")
	}
	if o.Name != "orders" || o.Tags["team"] != "shop" {
		t.Errorf("orders: name %q tags %v", o.Name, o.Tags)
	}
	docsWant(t, o, "pitr_enabled", true)
	docsWant(t, ss, "pitr_enabled", false)
	docsWant(t, o, "sse_type", "KMS")
	docsWant(t, ss, "sse_type", "AWS_OWNED")
	docsWant(t, ss, "kms_key_arn", "")
	docsWant(t, o, "table_status", "ACTIVE")
}
