package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

func TestSNSTopicsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, c, ok := context.Background(), s.SNS(), docsOK(t)
	alerts, err := c.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("alerts"),
		Attributes: map[string]string{"KmsMasterKeyId": "alias/aws/sns", "DisplayName": "Alerts"},
		Tags:       []snstypes.Tag{{Key: aws.String("team"), Value: aws.String("sec")}}})
	ok(alerts, err)
	open, err := c.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("open")})
	ok(open, err)
	public := `{"Version":"2012-10-17","Statement":[{"Sid":"anyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":["sns:Publish","sns:Subscribe"],"Resource":"*"}]}`
	ok(c.SetTopicAttributes(ctx, &sns.SetTopicAttributesInput{TopicArn: open.TopicArn, AttributeName: aws.String("Policy"), AttributeValue: aws.String(public)}))

	got := docsCollect(t, NewSNSTopics(), s)
	if len(got) != 2 {
		t.Fatalf("collected %d topics, want 2", len(got))
	}
	a, o := got[aws.ToString(alerts.TopicArn)], got[aws.ToString(open.TopicArn)]
	if a.ID == "" || o.ID == "" {
		t.Fatalf("topics not under their ARNs: %v", got)
	}
	for _, tp := range got {
		docsHasKeys(t, tp, "topic_name", "display_name", "fifo", "kms_master_key_id", "policy",
			"subscriptions_confirmed", "subscriptions_pending")
	}
	if a.Name != "alerts" || a.Tags["team"] != "sec" {
		t.Errorf("alerts: name %q tags %v", a.Name, a.Tags)
	}
	docsWant(t, a, "kms_master_key_id", "alias/aws/sns")
	docsWant(t, a, "display_name", "Alerts")
	docsWant(t, o, "kms_master_key_id", "")
	// moto 5.2.1 never counts subscriptions in GetTopicAttributes (always
	// 0); the counts are checked for type only.
	if _, isInt := docsGet(t, a, "subscriptions_confirmed").(int64); !isInt {
		t.Errorf("subscriptions_confirmed is %T, want int64", a.Attrs["subscriptions_confirmed"])
	}
	if pr := docsList(t, o, "policy.statements.0.principals"); !docsContains(pr, "*") {
		t.Errorf("public topic principals = %v, want *", pr)
	}
	if acts := docsList(t, o, "policy.statements.0.actions"); !docsContains(acts, "sns:Subscribe") {
		t.Errorf("public topic actions = %v", acts)
	}
}
