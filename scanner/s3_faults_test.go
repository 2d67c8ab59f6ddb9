package scanner

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/asset"
)

func TestS3BucketsUnexpectedErrorFailsTheUnit(t *testing.T) {
	srv := docsStartMoto(t)
	s := docsTestSession(t, srv, asset.Global)
	ctx, ok := context.Background(), docsOK(t)
	for _, b := range []string{"fine-1", "denied", "fine-2"} {
		ok(s.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)}))
	}
	// Expected "not configured" answers (no policy, PAB, encryption,
	// website, tags) must not fail anything.
	if got := docsCollect(t, NewS3Buckets(), s); len(got) != 3 {
		t.Fatalf("direct collect: %d buckets, want 3", len(got))
	}
	endpoint := docsDenyProxy(t, srv.URL, func(r *http.Request, _ string) bool {
		return r.URL.Path == "/denied" && r.URL.Query().Has("encryption")
	})
	assets, err := NewS3Buckets().Collect(ctx, docsThrough(s, endpoint))
	if err == nil {
		t.Fatalf("collect with GetBucketEncryption denied on one bucket succeeded with %d assets; want the unit to fail", len(assets))
	}
	if !strings.Contains(err.Error(), "denied") || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), "encryption") {
		t.Errorf("error %q should name the bucket, the step and the AWS error", err)
	}
	if assets != nil {
		t.Errorf("a failed unit returned %d assets", len(assets))
	}
}
