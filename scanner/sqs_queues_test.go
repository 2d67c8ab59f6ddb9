package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
)

func TestSQSQueuesAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.SQS(), docsOK(t)
	public := `{"Version":"2012-10-17","Statement":[{"Sid":"anyone","Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}`
	open, err := c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("orders"),
		Attributes: map[string]string{"Policy": public, "VisibilityTimeout": "45"}, Tags: map[string]string{"team": "shop"}})
	ok(open, err)
	ok(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("dead.fifo"), Attributes: map[string]string{"FifoQueue": "true"}}))
	ok(c.CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("payments.fifo"),
		Attributes: map[string]string{"FifoQueue": "true", "KmsMasterKeyId": "alias/aws/sqs",
			"RedrivePolicy": `{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dead.fifo","maxReceiveCount":"5"}`}}))
	other, err := docsTestSession(t, srv, "eu-west-1").SQS().CreateQueue(ctx, &sqs.CreateQueueInput{QueueName: aws.String("elsewhere")})
	ok(other, err)

	got := docsCollect(t, NewSQSQueues(), s)
	if len(got) != 3 {
		t.Fatalf("collected %d queues in us-east-1, want 3 (the eu-west-1 one is another unit): %v", len(got), got)
	}
	o, f := got["arn:aws:sqs:us-east-1:123456789012:orders"], got["arn:aws:sqs:us-east-1:123456789012:payments.fifo"]
	if o.ID == "" || f.ID == "" {
		t.Fatalf("queues not under their ARNs: %v", got)
	}
	for _, a := range got {
		docsHasKeys(t, a, "queue_name", "queue_url", "fifo", "kms_master_key_id", "sqs_managed_sse", "encrypted",
			"policy", "visibility_timeout", "message_retention_seconds", "dead_letter_target_arn", "created")
	}
	if o.Name != "orders" || o.Tags["team"] != "shop" {
		t.Errorf("orders: name %q tags %v", o.Name, o.Tags)
	}
	docsWant(t, o, "queue_url", aws.ToString(open.QueueUrl))
	docsWant(t, o, "visibility_timeout", int64(45))
	docsWant(t, o, "fifo", false)
	if p := docsGet(t, o, "policy.statements"); len(p.([]any)) != 1 {
		t.Errorf("orders policy statements = %v", p)
	}
	if pr := docsList(t, o, "policy.statements.0.principals"); !docsContains(pr, "*") {
		t.Errorf("public statement principals = %v, want *", pr)
	}
	docsWant(t, f, "fifo", true)
	docsWant(t, f, "kms_master_key_id", "alias/aws/sqs")
	docsWant(t, f, "encrypted", true)
	docsWant(t, f, "dead_letter_target_arn", "arn:aws:sqs:us-east-1:123456789012:dead.fifo")
	if f.Attrs["policy"] != nil {
		t.Errorf("a queue without a policy has policy %v, want null", f.Attrs["policy"])
	}
	// moto 5.2.1 turns SSE-SQS on for new queues, as AWS has since 2022.
	if docsGet(t, o, "sqs_managed_sse") != docsGet(t, o, "encrypted") {
		t.Errorf("orders: encrypted %v does not follow sqs_managed_sse %v", o.Attrs["encrypted"], o.Attrs["sqs_managed_sse"])
	}
}
