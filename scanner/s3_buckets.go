package scanner

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/asset"
)

// S3Buckets collects every S3 bucket of an account (a global unit); each
// bucket is described in its own region.
type S3Buckets struct{}

// NewS3Buckets returns the aws.s3.bucket collector.
func NewS3Buckets() *S3Buckets { return &S3Buckets{} }

// Type returns asset.TypeS3Bucket.
func (*S3Buckets) Type() string { return asset.TypeS3Bucket }

// Global reports true: buckets are listed once per account.
func (*S3Buckets) Global() bool { return true }

// Collect lists the buckets and describes each one.
func (c *S3Buckets) Collect(ctx context.Context, s *Session) ([]asset.Asset, error) {
	buckets, err := s3ListBuckets(ctx, s.S3())
	if err != nil {
		return nil, err
	}
	clients := &s3Clients{s: s, byRegion: map[string]*s3.Client{}}
	return docsDescribeEach(ctx, buckets, s.Fanout(), func(ctx context.Context, b s3types.Bucket) (*asset.Asset, error) {
		a, err := s3DescribeBucket(ctx, s, clients, b)
		if err != nil {
			return nil, fmt.Errorf("s3 bucket %s: %w", aws.ToString(b.Name), err)
		}
		return a, nil // nil: deleted while we looked
	})
}

// s3ListBuckets lists every bucket. It never sets MaxBuckets (moto loses
// buckets with it) but follows a continuation token when AWS sends one.
func s3ListBuckets(ctx context.Context, client *s3.Client) ([]s3types.Bucket, error) {
	var buckets []s3types.Bucket
	in := &s3.ListBucketsInput{}
	seen := map[string]bool{}
	for {
		out, err := client.ListBuckets(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("s3 list buckets: %w", err)
		}
		buckets = append(buckets, out.Buckets...)
		tok := aws.ToString(out.ContinuationToken)
		if tok == "" || seen[tok] {
			return buckets, nil
		}
		seen[tok] = true
		in = &s3.ListBucketsInput{ContinuationToken: out.ContinuationToken}
	}
}

// s3Clients caches one S3 client per bucket region for one Collect call.
type s3Clients struct {
	s        *Session
	mu       sync.Mutex
	byRegion map[string]*s3.Client
}

// in returns the client of a region.
func (c *s3Clients) in(region string) *s3.Client {
	c.mu.Lock()
	defer c.mu.Unlock()
	cl, ok := c.byRegion[region]
	if !ok {
		cl = c.s.S3In(region)
		c.byRegion[region] = cl
	}
	return cl
}

// s3DescribeBucket builds the asset of one bucket, or nil when the bucket
// disappeared between the listing and the description.
func s3DescribeBucket(ctx context.Context, s *Session, clients *s3Clients, b s3types.Bucket) (*asset.Asset, error) {
	name := aws.ToString(b.Name)
	region := aws.ToString(b.BucketRegion)
	if region == "" {
		var err error
		region, err = s3BucketRegion(ctx, s.S3(), name)
		if err != nil {
			if docsIsCode(err, "NoSuchBucket") {
				return nil, nil
			}
			return nil, err
		}
	}
	client := clients.in(region)
	d := &s3Detail{name: name, client: client}
	steps := []func(context.Context) error{
		d.acl, d.policy, d.publicAccessBlock, d.encryption,
		d.versioning, d.logging, d.website, d.tagging,
	}
	for _, step := range steps {
		if err := step(ctx); err != nil {
			if docsIsCode(err, "NoSuchBucket") {
				return nil, nil
			}
			return nil, err
		}
	}
	attrs := map[string]any{
		"bucket":              name,
		"creation_date":       docsTime(b.CreationDate),
		"acl":                 d.aclDoc,
		"policy":              d.policyDoc,
		"public_access_block": d.pabDoc,
		"encryption":          d.encDoc,
		"versioning":          d.verDoc,
		"logging":             d.logDoc,
		"website":             d.webDoc,
	}
	a := docsAsset(s, asset.TypeS3Bucket, "arn:aws:s3:::"+name, name, region, d.tags, attrs)
	return &a, nil
}

// s3BucketRegion asks where a bucket lives; an empty constraint is
// us-east-1 and the legacy "EU" is eu-west-1.
func s3BucketRegion(ctx context.Context, client *s3.Client, name string) (string, error) {
	out, err := client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(name)})
	if err != nil {
		return "", fmt.Errorf("get bucket location: %w", err)
	}
	switch loc := string(out.LocationConstraint); loc {
	case "":
		return "us-east-1", nil
	case "EU":
		return "eu-west-1", nil
	default:
		return loc, nil
	}
}
