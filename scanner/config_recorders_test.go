package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	cfgtypes "github.com/aws/aws-sdk-go-v2/service/configservice/types"
)

func TestConfigRecordersAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	ctx, ok := context.Background(), docsOK(t)
	on := docsTestSession(t, srv, "us-east-1")
	off := docsTestSession(t, srv, "eu-west-1")
	ok(on.ConfigService().PutConfigurationRecorder(ctx, &configservice.PutConfigurationRecorderInput{ConfigurationRecorder: &cfgtypes.ConfigurationRecorder{
		Name: aws.String("default"), RoleARN: aws.String("arn:aws:iam::123456789012:role/config"),
		RecordingGroup: &cfgtypes.RecordingGroup{AllSupported: true, IncludeGlobalResourceTypes: true},
	}}))
	ok(on.ConfigService().PutDeliveryChannel(ctx, &configservice.PutDeliveryChannelInput{DeliveryChannel: &cfgtypes.DeliveryChannel{
		Name: aws.String("default"), S3BucketName: aws.String("config-bucket"),
	}}))
	ok(on.ConfigService().StartConfigurationRecorder(ctx, &configservice.StartConfigurationRecorderInput{ConfigurationRecorderName: aws.String("default")}))

	got := docsCollect(t, NewConfigRecorders(), on)
	if len(got) != 1 {
		t.Fatalf("%d recorders in us-east-1, want 1: %v", len(got), got)
	}
	for _, r := range got {
		docsWant(t, r, "exists", true)
		docsWant(t, r, "recorder_name", "default")
		docsWant(t, r, "recording", true)
		docsWant(t, r, "all_supported", true)
		docsWant(t, r, "include_global_resource_types", true)
		docsHasKeys(t, r, "last_status", "last_error_code", "recording_strategy", "role_arn")
	}

	none := docsCollect(t, NewConfigRecorders(), off)
	p, found := none["arn:aws:config:eu-west-1:123456789012:config-recorder/none"]
	if len(none) != 1 || !found {
		t.Fatalf("region without a recorder gave %v, want the one placeholder", none)
	}
	docsWant(t, p, "exists", false)
	docsWant(t, p, "recording", false)
}
