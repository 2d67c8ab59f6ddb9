package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/scanner"
)

// bpa is a Block Public Access configuration as a fix state keeps it.
type bpa struct {
	Configured            bool `json:"configured"`
	BlockPublicAcls       bool `json:"block_public_acls"`
	IgnorePublicAcls      bool `json:"ignore_public_acls"`
	BlockPublicPolicy     bool `json:"block_public_policy"`
	RestrictPublicBuckets bool `json:"restrict_public_buckets"`
}

func (b bpa) allOn() bool {
	return b.BlockPublicAcls && b.IgnorePublicAcls && b.BlockPublicPolicy && b.RestrictPublicBuckets
}

// allOnParams returns the call params that turn all four settings on.
func allOnParams() map[string]any {
	return map[string]any{"BlockPublicAcls": true, "IgnorePublicAcls": true,
		"BlockPublicPolicy": true, "RestrictPublicBuckets": true}
}

// s3BPAState is the live state of a bucket's Block Public Access.
type s3BPAState struct {
	Bucket string `json:"bucket"`
	BPA    bpa    `json:"public_access_block"`
}

// S3BlockPublicAccess turns on all four Block Public Access settings of a bucket.
type S3BlockPublicAccess struct{}

// NewS3BlockPublicAccess returns the s3-block-public-access action.
func NewS3BlockPublicAccess() Action {
	return newAction(meta{id: "s3-block-public-access", undoable: true,
		describe: "turn on all four S3 Block Public Access settings of the bucket"}, S3BlockPublicAccess{})
}

func (S3BlockPublicAccess) read(ctx context.Context, t Target) (map[string]any, error) {
	bucket, err := attr(t, "bucket")
	if err != nil {
		return nil, err
	}
	st := s3BPAState{Bucket: bucket}
	out, err := scanner.NewS3(t.Config, t.Endpoint).GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: &bucket})
	switch {
	case isCode(err, "NoSuchPublicAccessBlockConfiguration"):
	case err != nil:
		return nil, fmt.Errorf("get public access block: %w", err)
	case out.PublicAccessBlockConfiguration != nil:
		c := out.PublicAccessBlockConfiguration
		st.BPA = bpa{Configured: true, BlockPublicAcls: aws.ToBool(c.BlockPublicAcls), IgnorePublicAcls: aws.ToBool(c.IgnorePublicAcls),
			BlockPublicPolicy: aws.ToBool(c.BlockPublicPolicy), RestrictPublicBuckets: aws.ToBool(c.RestrictPublicBuckets)}
	}
	return normalize(st), nil
}

func (S3BlockPublicAccess) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st s3BPAState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.BPA.allOn() {
		return nil, "bucket " + st.Bucket + " already blocks all public access", true, nil
	}
	return []Call{call("s3", "PutPublicAccessBlock", map[string]any{"Bucket": st.Bucket, "PublicAccessBlockConfiguration": allOnParams()})},
		"turn on all four Block Public Access settings of bucket " + st.Bucket, false, nil
}

func (a S3BlockPublicAccess) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st s3BPAState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putBucketBPA(ctx, t, st.Bucket, bpa{true, true, true, true, true}); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (S3BlockPublicAccess) undo(ctx context.Context, t Target, r *Record) error {
	var st s3BPAState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Bucket == "" {
		return fmt.Errorf("record %s has no bucket in its before-state", r.ID)
	}
	if !st.BPA.Configured {
		_, err := scanner.NewS3(t.Config, t.Endpoint).DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: &st.Bucket})
		if err != nil {
			return fmt.Errorf("delete public access block: %w", err)
		}
		return nil
	}
	return putBucketBPA(ctx, t, st.Bucket, st.BPA)
}

func putBucketBPA(ctx context.Context, t Target, bucket string, c bpa) error {
	_, err := scanner.NewS3(t.Config, t.Endpoint).PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: &bucket,
		PublicAccessBlockConfiguration: &s3types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(c.BlockPublicAcls),
			IgnorePublicAcls: aws.Bool(c.IgnorePublicAcls), BlockPublicPolicy: aws.Bool(c.BlockPublicPolicy),
			RestrictPublicBuckets: aws.Bool(c.RestrictPublicBuckets)}})
	if err != nil {
		return fmt.Errorf("put public access block: %w", err)
	}
	return nil
}
