package scanner

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/vigil-sec/vigil/asset"
)

// SQSQueues collects the SQS queues of a region (aws.sqs.queue) with their
// access policy and encryption settings. Messages are never read.
type SQSQueues struct{}

// NewSQSQueues returns the aws.sqs.queue collector.
func NewSQSQueues() *SQSQueues { return &SQSQueues{} }

// Type returns aws.sqs.queue.
func (*SQSQueues) Type() string { return asset.TypeSQSQueue }

// Global reports false: queues are regional.
func (*SQSQueues) Global() bool { return false }

// Collect lists the region's queues (paged ListQueues) and reads each one's
// attributes and tags.
func (*SQSQueues) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	client := s.SQS()
	var urls []string
	// Without MaxResults SQS returns at most 1,000 queues and no NextToken.
	p := sqs.NewListQueuesPaginator(client, &sqs.ListQueuesInput{MaxResults: aws.Int32(1000)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("sqs list queues: %w", err)
		}
		urls = append(urls, page.QueueUrls...)
	}
	return docsDescribeEach(ctx, urls, s.Fanout(), func(ctx context.Context, url string) (*asset.Asset, error) {
		a, err := sqsDescribe(ctx, s, client, url)
		if err != nil {
			return nil, fmt.Errorf("sqs queue %s: %w", url, err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// sqsGone reports whether err says the queue was deleted after the listing
// (the query and JSON protocols name it differently).
func sqsGone(err error) bool {
	return docsIsCode(err, "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist")
}

// sqsDescribe reads one queue's attributes and tags, or nil when it was
// deleted after the listing.
func sqsDescribe(ctx context.Context, s *Session, client *sqs.Client, url string) (*asset.Asset, error) {
	out, err := client.GetQueueAttributes(ctx, &sqs.GetQueueAttributesInput{
		QueueUrl: aws.String(url), AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameAll},
	})
	if err != nil {
		if sqsGone(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("get queue attributes: %w", err)
	}
	at := out.Attributes
	var policy any
	if text := at[string(sqstypes.QueueAttributeNamePolicy)]; text != "" {
		if policy, err = docsPolicy(&text); err != nil {
			return nil, fmt.Errorf("queue policy: %w", err)
		}
	}
	tags, err := client.ListQueueTags(ctx, &sqs.ListQueueTagsInput{QueueUrl: aws.String(url)})
	if err != nil {
		if sqsGone(err) {
			return nil, nil
		}
		return nil, fmt.Errorf("list queue tags: %w", err)
	}
	name := url[strings.LastIndex(url, "/")+1:]
	arn := at[string(sqstypes.QueueAttributeNameQueueArn)]
	if arn == "" {
		arn = "arn:" + partition(s.Region) + ":sqs:" + s.Region + ":" + s.Account + ":" + name
	}
	kmsKey := at[string(sqstypes.QueueAttributeNameKmsMasterKeyId)]
	sqsSSE := at[string(sqstypes.QueueAttributeNameSqsManagedSseEnabled)] == "true"
	attrs := map[string]any{
		"queue_name":                name,
		"queue_url":                 url,
		"fifo":                      at[string(sqstypes.QueueAttributeNameFifoQueue)] == "true",
		"kms_master_key_id":         kmsKey,
		"sqs_managed_sse":           sqsSSE,
		"encrypted":                 kmsKey != "" || sqsSSE,
		"policy":                    policy,
		"visibility_timeout":        attrInt(at[string(sqstypes.QueueAttributeNameVisibilityTimeout)]),
		"message_retention_seconds": attrInt(at[string(sqstypes.QueueAttributeNameMessageRetentionPeriod)]),
		"dead_letter_target_arn":    sqsDeadLetterTarget(at[string(sqstypes.QueueAttributeNameRedrivePolicy)]),
		"created":                   sqsEpoch(at[string(sqstypes.QueueAttributeNameCreatedTimestamp)]),
	}
	a := docsAsset(s, asset.TypeSQSQueue, arn, name, s.Region, tags.Tags, attrs)
	return &a, nil
}

// attrInt parses a numeric queue or topic attribute, 0 when absent or malformed.
func attrInt(v string) int64 {
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// sqsEpoch converts a queue's epoch-seconds timestamp to RFC3339 UTC.
func sqsEpoch(v string) string {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return ""
	}
	return time.Unix(n, 0).UTC().Format(time.RFC3339)
}

// sqsDeadLetterTarget reads deadLetterTargetArn from a RedrivePolicy JSON
// text without trusting its shape.
func sqsDeadLetterTarget(policy string) string {
	if policy == "" {
		return ""
	}
	var rp struct {
		Target string `json:"deadLetterTargetArn"`
	}
	if err := json.Unmarshal([]byte(policy), &rp); err != nil {
		return ""
	}
	return rp.Target
}
