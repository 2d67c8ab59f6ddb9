package rules

import (
	"testing"

	"github.com/vigil-sec/vigil/asset"
)

func TestIndexRelatesTrailToItsBucketInAnyAccount(t *testing.T) {
	t.Parallel()
	trail := &asset.Asset{ID: "arn:aws:cloudtrail:us-east-1:111111111111:trail/org", Type: asset.TypeTrail, Account: "111111111111",
		Region: "us-east-1", Attrs: map[string]any{"s3_bucket": "org-trail-logs"}}
	local := &asset.Asset{ID: "arn:aws:cloudtrail:us-east-1:111111111111:trail/local", Type: asset.TypeTrail, Account: "111111111111",
		Region: "us-east-1", Attrs: map[string]any{"s3_bucket": "unscanned-bucket"}}
	archive := &asset.Asset{ID: "arn:aws:s3:::org-trail-logs", Type: asset.TypeS3Bucket, Account: "222222222222", Region: "eu-west-1",
		Attrs: map[string]any{"bucket": "org-trail-logs", "logging": map[string]any{"enabled": true}}}
	other := &asset.Asset{ID: "arn:aws:s3:::app-data", Type: asset.TypeS3Bucket, Account: "111111111111", Region: "us-east-1",
		Attrs: map[string]any{"bucket": "app-data"}}
	ix := NewIndex([]*asset.Asset{trail, local, archive, other})

	got := ix.Related(trail, asset.TypeS3Bucket)
	if len(got) != 1 || got[0]["id"] != archive.ID {
		t.Errorf("trail's bucket: %v, want the log archive account's %s", got, archive.ID)
	}
	if got := ix.Related(local, asset.TypeS3Bucket); len(got) != 0 {
		t.Errorf("trail delivering to a bucket no scan saw: %v, want none", got)
	}
	if got := ix.Related(other, asset.TypeS3Bucket); len(got) != 0 {
		t.Errorf("a bucket relates to buckets: %v", got)
	}
}
