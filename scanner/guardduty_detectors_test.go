package scanner

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/guardduty"
)

func TestGuardDutyDetectorsAgainstMoto(t *testing.T) {
	srv := docsStartMoto(t)
	ctx := context.Background()
	on := docsTestSession(t, srv, "us-east-1")
	off := docsTestSession(t, srv, "eu-west-1")
	d, err := on.GuardDuty().CreateDetector(ctx, &guardduty.CreateDetectorInput{Enable: aws.Bool(true), Tags: map[string]string{"env": "prod"}})
	if err != nil {
		t.Fatalf("seed detector: %v", err)
	}
	id := aws.ToString(d.DetectorId)

	got := docsCollect(t, NewGuardDutyDetectors(), on)
	det, found := got["arn:aws:guardduty:us-east-1:123456789012:detector/"+id]
	if len(got) != 1 || !found {
		t.Fatalf("detectors %v, want the one created (%s)", got, id)
	}
	docsWant(t, det, "exists", true)
	docsWant(t, det, "detector_id", id)
	docsWant(t, det, "status", "ENABLED")
	docsHasKeys(t, det, "finding_publishing_frequency", "created_at", "features")
	if det.Tags["env"] != "prod" {
		t.Errorf("detector tags %v", det.Tags)
	}

	none := docsCollect(t, NewGuardDutyDetectors(), off)
	p, found := none["arn:aws:guardduty:eu-west-1:123456789012:detector/none"]
	if len(none) != 1 || !found {
		t.Fatalf("region without a detector gave %v, want the placeholder", none)
	}
	docsWant(t, p, "exists", false)
}
