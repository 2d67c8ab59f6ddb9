package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/vigil-sec/vigil/asset"
)

// SNSTopics collects the SNS topics of a region (aws.sns.topic) with their
// access policy, encryption key and subscription counts. Subscription
// endpoints are never read.
type SNSTopics struct{}

// NewSNSTopics returns the aws.sns.topic collector.
func NewSNSTopics() *SNSTopics { return &SNSTopics{} }

// Type returns aws.sns.topic.
func (*SNSTopics) Type() string { return asset.TypeSNSTopic }

// Global reports false: topics are regional.
func (*SNSTopics) Global() bool { return false }

// Collect lists the region's topics (paged ListTopics) and reads each one's
// attributes and tags.
func (*SNSTopics) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.SNS()
	var arns []string
	p := sns.NewListTopicsPaginator(client, &sns.ListTopicsInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("sns list topics: %w", err)
		}
		for _, t := range page.Topics {
			arns = append(arns, aws.ToString(t.TopicArn))
		}
	}
	return docsDescribeEach(ctx, arns, s.Fanout(), func(ctx context.Context, arn string) (*asset.Asset, error) {
		a, err := snsDescribe(ctx, s, client, arn)
		if err != nil {
			return nil, fmt.Errorf("sns topic %s: %w", arn, err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// snsDescribe reads one topic's attributes and tags, or nil when it was
// deleted after the listing.
func snsDescribe(ctx context.Context, s *Session, client *sns.Client, arn string) (*asset.Asset, error) {
	out, err := client.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	if err != nil {
		if docsIsCode(err, "NotFound", "NotFoundException") {
			return nil, nil
		}
		return nil, fmt.Errorf("get topic attributes: %w", err)
	}
	at := out.Attributes
	var policy any
	if text := at["Policy"]; text != "" {
		if policy, err = docsPolicy(&text); err != nil {
			return nil, fmt.Errorf("topic policy: %w", err)
		}
	}
	tagsOut, err := client.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		if docsIsCode(err, "NotFound", "NotFoundException", "ResourceNotFound") {
			return nil, nil
		}
		return nil, fmt.Errorf("list tags: %w", err)
	}
	tags := make(map[string]string, len(tagsOut.Tags))
	for _, t := range tagsOut.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	name := arn[strings.LastIndex(arn, ":")+1:]
	attrs := map[string]any{
		"topic_name":              name,
		"display_name":            at["DisplayName"],
		"fifo":                    at["FifoTopic"] == "true",
		"kms_master_key_id":       at["KmsMasterKeyId"],
		"policy":                  policy,
		"subscriptions_confirmed": attrInt(at["SubscriptionsConfirmed"]),
		"subscriptions_pending":   attrInt(at["SubscriptionsPending"]),
	}
	a := docsAsset(s, asset.TypeSNSTopic, arn, name, s.Region, tags, attrs)
	return &a, nil
}
