package scanner

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/vigil-sec/vigil/asset"
)

// MetricFilters collects the CloudWatch Logs metric filters of a region,
// each with the CloudWatch alarms on the metrics it emits and the SNS
// topics those alarms notify (with how many confirmed subscribers each
// has): what CIS AWS 3.0 section 4 asks of a monitoring control.
type MetricFilters struct{}

// NewMetricFilters returns the aws.logs.metric-filter collector.
func NewMetricFilters() *MetricFilters { return &MetricFilters{} }

// Type returns asset.TypeMetricFilter.
func (*MetricFilters) Type() string { return asset.TypeMetricFilter }

// Global reports false: metric filters and alarms are regional.
func (*MetricFilters) Global() bool { return false }

// Collect lists the filters, then the region's metric alarms once, then
// each notified topic's subscriptions once.
func (*MetricFilters) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	var filters []logtypes.MetricFilter
	p := cloudwatchlogs.NewDescribeMetricFiltersPaginator(s.Logs(), &cloudwatchlogs.DescribeMetricFiltersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("logs describe metric filters: %w", err)
		}
		filters = append(filters, page.MetricFilters...)
	}
	assets := []asset.Asset{}
	if len(filters) == 0 {
		return assets, nil // no alarm can matter: skip the alarm listing
	}
	alarms, err := metricAlarms(ctx, s.CloudWatch())
	if err != nil {
		return nil, err
	}
	subs := topicSubscribers{s: s, counts: map[string]int64{}}
	for _, f := range filters {
		group, name := aws.ToString(f.LogGroupName), aws.ToString(f.FilterName)
		transforms := make([]any, 0, len(f.MetricTransformations))
		var onMetric []any
		for _, m := range f.MetricTransformations {
			metric, ns := aws.ToString(m.MetricName), aws.ToString(m.MetricNamespace)
			transforms = append(transforms, map[string]any{"metric_name": metric, "metric_namespace": ns})
			for _, al := range alarms[metricKey{metric, ns}] {
				doc, err := alarmDoc(ctx, al, &subs)
				if err != nil {
					return nil, err
				}
				onMetric = append(onMetric, doc)
			}
		}
		if onMetric == nil {
			onMetric = []any{}
		}
		attrs := map[string]any{
			"filter_name":            name,
			"log_group_name":         group,
			"filter_pattern":         aws.ToString(f.FilterPattern),
			"metric_transformations": transforms,
			"alarms":                 onMetric,
		}
		id := fmt.Sprintf("aws:logs:%s:%s:log-group/%s/metric-filter/%s", s.Account, s.Region, group, name)
		assets = append(assets, docsAsset(s, asset.TypeMetricFilter, id, name, s.Region, nil, attrs))
	}
	return assets, nil
}

// metricKey names a CloudWatch metric.
type metricKey struct{ name, namespace string }

// metricAlarms lists the region's metric alarms by the metric they watch.
func metricAlarms(ctx context.Context, client *cloudwatch.Client) (map[metricKey][]cwtypes.MetricAlarm, error) {
	out := map[metricKey][]cwtypes.MetricAlarm{}
	p := cloudwatch.NewDescribeAlarmsPaginator(client, &cloudwatch.DescribeAlarmsInput{
		AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("cloudwatch describe alarms: %w", err)
		}
		for _, a := range page.MetricAlarms {
			k := metricKey{aws.ToString(a.MetricName), aws.ToString(a.Namespace)}
			out[k] = append(out[k], a)
		}
	}
	return out, nil
}

// alarmDoc is one alarm's part of a filter's document.
func alarmDoc(ctx context.Context, a cwtypes.MetricAlarm, subs *topicSubscribers) (map[string]any, error) {
	topics := []any{}
	for _, act := range a.AlarmActions {
		if parts := strings.SplitN(act, ":", 6); len(parts) < 6 || parts[2] != "sns" {
			continue // an Auto Scaling, EC2 or Systems Manager action
		}
		n, err := subs.confirmed(ctx, act)
		if err != nil {
			return nil, err
		}
		topics = append(topics, map[string]any{"topic_arn": act, "confirmed_subscriptions": n})
	}
	return map[string]any{
		"alarm_name":      aws.ToString(a.AlarmName),
		"actions_enabled": docsBool(a.ActionsEnabled),
		"sns_topics":      topics,
	}, nil
}

// topicSubscribers counts confirmed subscriptions per topic, asking SNS
// once per topic per unit.
type topicSubscribers struct {
	s      *Session
	counts map[string]int64
}

// confirmed returns how many subscriptions of a topic are confirmed (their
// ARN is an ARN, not "PendingConfirmation"); 0 for a topic that is gone.
func (t *topicSubscribers) confirmed(ctx context.Context, topic string) (int64, error) {
	if n, ok := t.counts[topic]; ok {
		return n, nil
	}
	region := t.s.Region
	if parts := strings.SplitN(topic, ":", 6); len(parts) == 6 && parts[3] != "" {
		region = parts[3]
	}
	var n int64
	p := sns.NewListSubscriptionsByTopicPaginator(t.s.SNSIn(region), &sns.ListSubscriptionsByTopicInput{TopicArn: aws.String(topic)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			if docsIsCode(err, "NotFound", "NotFoundException") {
				break
			}
			return 0, fmt.Errorf("sns list subscriptions of %s: %w", topic, err)
		}
		for _, sub := range page.Subscriptions {
			if strings.HasPrefix(aws.ToString(sub.SubscriptionArn), "arn:") {
				n++
			}
		}
	}
	t.counts[topic] = n
	return n, nil
}
