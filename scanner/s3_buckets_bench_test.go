package scanner

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/asset"
)

// BenchmarkS3BucketsMoto measures one S3 unit (20 buckets, ~9 calls each)
// against moto, the cost a scan pays per account for the bucket listing.
func BenchmarkS3BucketsMoto(b *testing.B) {
	srv := docsStartMoto(b)
	s := docsTestSession(b, srv, asset.Global)
	ctx, ok := context.Background(), docsOK(b)
	const n = 20
	for i := range n {
		ok(s.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(fmt.Sprintf("bench-%02d", i))}))
	}
	c := NewS3Buckets()
	b.ResetTimer()
	for b.Loop() {
		got, err := c.Collect(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != n {
			b.Fatalf("%d buckets, want %d", len(got), n)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n/1e6, "ms/bucket")
}
