package scanner

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	cttypes "github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/asset"
)

func TestTrailsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	east, west := docsTestSession(t, srv, "us-east-1"), docsTestSession(t, srv, "eu-west-1")
	ctx, ok := context.Background(), docsOK(t)
	ok(east.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs")}))
	ok(west.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("trail-logs-west"),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest1}}))
	// Compliant: multi-region, validated, logging, KMS, management + data events.
	org, err := east.CloudTrail().CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("org-trail"),
		S3BucketName: aws.String("trail-logs"), IsMultiRegionTrail: aws.Bool(true), EnableLogFileValidation: aws.Bool(true),
		IncludeGlobalServiceEvents: aws.Bool(true), KmsKeyId: aws.String("arn:aws:kms:us-east-1:123456789012:key/abc"),
		TagsList: []cttypes.Tag{{Key: aws.String("Owner"), Value: aws.String("sec")}}})
	ok(org, err)
	ok(east.CloudTrail().StartLogging(ctx, &cloudtrail.StartLoggingInput{Name: aws.String("org-trail")}))
	ok(east.CloudTrail().PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("org-trail"),
		EventSelectors: []cttypes.EventSelector{{ReadWriteType: cttypes.ReadWriteTypeAll, IncludeManagementEvents: aws.Bool(true),
			DataResources: []cttypes.DataResource{{Type: aws.String("AWS::S3::Object"), Values: []string{"arn:aws:s3"}}}}}}))
	// Non-compliant: single-region, no validation, not logging; advanced selectors.
	local, err := west.CloudTrail().CreateTrail(ctx, &cloudtrail.CreateTrailInput{Name: aws.String("local-trail"),
		S3BucketName: aws.String("trail-logs-west")})
	ok(local, err)
	ok(west.CloudTrail().PutEventSelectors(ctx, &cloudtrail.PutEventSelectorsInput{TrailName: aws.String("local-trail"),
		AdvancedEventSelectors: []cttypes.AdvancedEventSelector{{Name: aws.String("mgmt"),
			FieldSelectors: []cttypes.AdvancedFieldSelector{{Field: aws.String("eventCategory"), Equals: []string{"Management"}}}}}}))

	gotEast := docsCollect(t, NewTrails(), east)
	gotWest := docsCollect(t, NewTrails(), west)
	if len(gotEast) != 1 || len(gotWest) != 1 {
		t.Fatalf("trails: %d in us-east-1, %d in eu-west-1; want 1 and 1 (each in its home region only)", len(gotEast), len(gotWest))
	}
	o, l := gotEast[aws.ToString(org.TrailARN)], gotWest[aws.ToString(local.TrailARN)]
	if o.ID == "" || l.ID == "" {
		t.Fatalf("trails not collected under their ARNs: %v / %v", gotEast, gotWest)
	}
	for _, a := range []asset.Asset{o, l} {
		docsHasKeys(t, a, "trail_name", "home_region", "is_multi_region", "include_global_events", "log_file_validation",
			"kms_key_id", "s3_bucket", "is_logging", "event_selectors", "advanced_event_selectors")
	}
	docsWant(t, o, "trail_name", "org-trail")
	docsWant(t, o, "home_region", "us-east-1")
	docsWant(t, o, "is_multi_region", true)
	docsWant(t, o, "include_global_events", true)
	docsWant(t, o, "log_file_validation", true)
	docsWant(t, o, "is_logging", true)
	docsWant(t, o, "s3_bucket", "trail-logs")
	if o.Name != "org-trail" || !reflect.DeepEqual(o.Tags, map[string]string{"Owner": "sec"}) {
		t.Errorf("org-trail name %q tags %v", o.Name, o.Tags)
	}
	if docsGet(t, o, "kms_key_id") == "" {
		t.Error("kms_key_id empty")
	}
	docsWant(t, o, "event_selectors.0.read_write_type", "All")
	docsWant(t, o, "event_selectors.0.include_management_events", true)
	docsWant(t, o, "event_selectors.0.data_resources.0.type", "AWS::S3::Object")
	docsWant(t, o, "event_selectors.0.data_resources.0.values.0", "arn:aws:s3")

	docsWant(t, l, "home_region", "eu-west-1")
	docsWant(t, l, "is_multi_region", false)
	docsWant(t, l, "log_file_validation", false)
	docsWant(t, l, "is_logging", false)
	docsWant(t, l, "kms_key_id", "")
	docsWant(t, l, "advanced_event_selectors.0.name", "mgmt")
	docsWant(t, l, "advanced_event_selectors.0.field_selectors.0.field", "eventCategory")
	docsWant(t, l, "advanced_event_selectors.0.field_selectors.0.equals.0", "Management")
}

func TestTrailOwner(t *testing.T) {
	if got := trailOwner("arn:aws:cloudtrail:us-east-1:111122223333:trail/org"); got != "111122223333" {
		t.Errorf("owner = %q", got)
	}
	if got := trailOwner("not-an-arn"); got != "" {
		t.Errorf("owner of a non-ARN = %q", got)
	}
}
