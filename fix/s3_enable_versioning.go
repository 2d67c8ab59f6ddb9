package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/scanner"
)

// s3VersioningState is a bucket's versioning status ("" never enabled).
type s3VersioningState struct {
	Bucket string `json:"bucket"`
	Status string `json:"status"`
}

// S3EnableVersioning turns on versioning of a bucket.
type S3EnableVersioning struct{}

// NewS3EnableVersioning returns the s3-enable-versioning action.
func NewS3EnableVersioning() Action {
	return newAction(meta{id: "s3-enable-versioning", undoable: true,
		describe: "turn on versioning of the bucket (undo suspends it: a bucket cannot return to never-versioned)"}, S3EnableVersioning{})
}

func (S3EnableVersioning) read(ctx context.Context, t Target) (map[string]any, error) {
	bucket, err := attr(t, "bucket")
	if err != nil {
		return nil, err
	}
	out, err := scanner.NewS3(t.Config, t.Endpoint).GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: &bucket})
	if err != nil {
		return nil, fmt.Errorf("get bucket versioning: %w", err)
	}
	return normalize(s3VersioningState{Bucket: bucket, Status: string(out.Status)}), nil
}

func (S3EnableVersioning) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st s3VersioningState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.Status == string(s3types.BucketVersioningStatusEnabled) {
		return nil, "bucket " + st.Bucket + " already has versioning on", true, nil
	}
	return []Call{call("s3", "PutBucketVersioning", map[string]any{"Bucket": st.Bucket,
		"VersioningConfiguration": map[string]any{"Status": "Enabled"}})}, "turn on versioning of bucket " + st.Bucket, false, nil
}

func (a S3EnableVersioning) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st s3VersioningState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putVersioning(ctx, t, st.Bucket, s3types.BucketVersioningStatusEnabled); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (S3EnableVersioning) undo(ctx context.Context, t Target, r *Record) error {
	var st s3VersioningState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Bucket == "" {
		return fmt.Errorf("record %s has no bucket in its before-state", r.ID)
	}
	return putVersioning(ctx, t, st.Bucket, s3types.BucketVersioningStatusSuspended)
}

func putVersioning(ctx context.Context, t Target, bucket string, status s3types.BucketVersioningStatus) error {
	_, err := scanner.NewS3(t.Config, t.Endpoint).PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &bucket,
		VersioningConfiguration: &s3types.VersioningConfiguration{Status: status}})
	if err != nil {
		return fmt.Errorf("put bucket versioning %s: %w", status, err)
	}
	return nil
}
