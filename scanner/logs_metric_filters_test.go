package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

func TestMetricFiltersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "us-east-1")
	ctx, ok := context.Background(), docsOK(t)
	logs := s.Logs()
	ok(logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String("trail-logs")}))
	filter := func(name, metric, pattern string) {
		ok(logs.PutMetricFilter(ctx, &cloudwatchlogs.PutMetricFilterInput{LogGroupName: aws.String("trail-logs"),
			FilterName: aws.String(name), FilterPattern: aws.String(pattern),
			MetricTransformations: []logtypes.MetricTransformation{{MetricName: aws.String(metric),
				MetricNamespace: aws.String("CISBenchmark"), MetricValue: aws.String("1")}}}))
	}
	filter("root-usage", "RootUsage", `{ $.userIdentity.type = "Root" }`)
	filter("no-alarm", "Lonely", `{ $.eventName = "ConsoleLogin" }`)
	topics := s.SNSIn("us-east-1")
	heard, err := topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("sec-alerts")})
	ok(heard, err)
	ok(topics.Subscribe(ctx, &sns.SubscribeInput{TopicArn: heard.TopicArn, Protocol: aws.String("sqs"),
		Endpoint: aws.String("arn:aws:sqs:us-east-1:123456789012:pager")}))
	unheard, err := topics.CreateTopic(ctx, &sns.CreateTopicInput{Name: aws.String("nobody")})
	ok(unheard, err)
	alarm := func(name string, actions ...string) {
		ok(s.CloudWatch().PutMetricAlarm(ctx, &cloudwatch.PutMetricAlarmInput{AlarmName: aws.String(name),
			MetricName: aws.String("RootUsage"), Namespace: aws.String("CISBenchmark"), Statistic: cwtypes.StatisticSum,
			Period: aws.Int32(300), EvaluationPeriods: aws.Int32(1), Threshold: aws.Float64(1),
			ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanOrEqualToThreshold, AlarmActions: actions}))
	}
	alarm("root-to-sec", aws.ToString(heard.TopicArn), aws.ToString(unheard.TopicArn))
	alarm("root-autoscale", "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:x")

	got := docsCollect(t, NewMetricFilters(), s)
	if len(got) != 2 {
		t.Fatalf("%d metric filters, want 2: %v", len(got), got)
	}
	root := got["aws:logs:123456789012:us-east-1:log-group/trail-logs/metric-filter/root-usage"]
	lonely := got["aws:logs:123456789012:us-east-1:log-group/trail-logs/metric-filter/no-alarm"]
	if root.ID == "" || lonely.ID == "" {
		t.Fatalf("filters not under their IDs: %v", got)
	}
	docsHasKeys(t, root, "filter_name", "log_group_name", "filter_pattern", "metric_transformations", "alarms")
	docsWant(t, root, "filter_name", "root-usage")
	docsWant(t, root, "log_group_name", "trail-logs")
	docsWant(t, root, "filter_pattern", `{ $.userIdentity.type = "Root" }`)
	docsWant(t, root, "metric_transformations.0.metric_name", "RootUsage")
	docsWant(t, root, "metric_transformations.0.metric_namespace", "CISBenchmark")
	if n := len(docsList(t, root, "alarms")); n != 2 {
		t.Fatalf("root-usage has %d alarms, want 2", n)
	}
	byName := map[string]map[string]any{}
	for _, a := range docsList(t, root, "alarms") {
		m := a.(map[string]any)
		byName[m["alarm_name"].(string)] = m
	}
	sec := byName["root-to-sec"]
	if sec == nil || len(sec["sns_topics"].([]any)) != 2 {
		t.Fatalf("root-to-sec alarm: %v", sec)
	}
	counts := map[string]int64{}
	for _, tp := range sec["sns_topics"].([]any) {
		m := tp.(map[string]any)
		counts[m["topic_arn"].(string)] = m["confirmed_subscriptions"].(int64)
	}
	if counts[aws.ToString(heard.TopicArn)] != 1 || counts[aws.ToString(unheard.TopicArn)] != 0 {
		t.Errorf("confirmed subscriptions by topic: %v; want 1 for sec-alerts and 0 for nobody", counts)
	}
	if as := byName["root-autoscale"]; as == nil || len(as["sns_topics"].([]any)) != 0 {
		t.Errorf("an alarm without SNS actions lists topics: %v", as)
	}
	if n := len(docsList(t, lonely, "alarms")); n != 0 {
		t.Errorf("a filter nobody alarms on lists %d alarms", n)
	}

	// the trail names the log group the filters must be on
	ok(s.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("ct-bucket")}))
	tr, err := s.CloudTrail().CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("main"), S3BucketName: aws.String("ct-bucket"),
		IsMultiRegionTrail: aws.Bool(true), CloudWatchLogsLogGroupArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:trail-logs:*"),
		CloudWatchLogsRoleArn: aws.String("arn:aws:iam::123456789012:role/ct")})
	ok(tr, err)
	trail := docsCollect(t, NewTrails(), s)[aws.ToString(tr.TrailARN)]
	docsWant(t, trail, "log_group_name", "trail-logs")
	docsWant(t, trail, "log_group_region", "us-east-1")
}

func TestMetricFiltersOfAnEmptyRegion(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, "eu-west-1")
	if got := docsCollect(t, NewMetricFilters(), s); len(got) != 0 {
		t.Errorf("empty region gave %d filters", len(got))
	}
}

func TestTrailLogGroup(t *testing.T) {
	t.Parallel()
	cases := map[string][2]string{
		"arn:aws:logs:eu-west-1:111122223333:log-group:ct/main:*": {"ct/main", "eu-west-1"},
		"arn:aws:logs:eu-west-1:111122223333:log-group:plain":     {"plain", "eu-west-1"},
		"":                    {"", ""},
		"arn:aws:s3:::bucket": {"", ""},
	}
	for in, want := range cases {
		if n, r := trailLogGroup(in); n != want[0] || r != want[1] {
			t.Errorf("trailLogGroup(%q) = %q, %q; want %q", in, n, r, want)
		}
	}
}
