package fix

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/vigil-sec/vigil/scanner"
)

// s3EncState is a bucket's default encryption as a fix state keeps it.
type s3EncState struct {
	Bucket    string `json:"bucket"`
	Enabled   bool   `json:"enabled"`
	Algorithm string `json:"algorithm"`
	KMSKeyID  string `json:"kms_key_id"`
	BucketKey bool   `json:"bucket_key_enabled"`
}

// S3EnableEncryption sets SSE-S3 (AES256) default encryption on a bucket.
type S3EnableEncryption struct{}

// NewS3EnableEncryption returns the s3-enable-encryption action.
func NewS3EnableEncryption() Action {
	return newAction(meta{id: "s3-enable-encryption", undoable: true,
		describe: "set SSE-S3 (AES256) default encryption on the bucket"}, S3EnableEncryption{})
}

func (S3EnableEncryption) read(ctx context.Context, t Target) (map[string]any, error) {
	bucket, err := attr(t, "bucket")
	if err != nil {
		return nil, err
	}
	st := s3EncState{Bucket: bucket}
	out, err := scanner.NewS3(t.Config, t.Endpoint).GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: &bucket})
	switch {
	case isCode(err, "ServerSideEncryptionConfigurationNotFoundError"):
	case err != nil:
		return nil, fmt.Errorf("get bucket encryption: %w", err)
	case out.ServerSideEncryptionConfiguration != nil && len(out.ServerSideEncryptionConfiguration.Rules) > 0:
		r := out.ServerSideEncryptionConfiguration.Rules[0]
		st.BucketKey = aws.ToBool(r.BucketKeyEnabled)
		if d := r.ApplyServerSideEncryptionByDefault; d != nil {
			st.Enabled, st.Algorithm, st.KMSKeyID = true, string(d.SSEAlgorithm), aws.ToString(d.KMSMasterKeyID)
		}
	}
	return normalize(st), nil
}

func (S3EnableEncryption) plan(_ Target, live map[string]any) ([]Call, string, bool, error) {
	var st s3EncState
	if err := decode(live, &st); err != nil {
		return nil, "", false, err
	}
	if st.Enabled {
		return nil, "bucket " + st.Bucket + " already encrypts by default (" + st.Algorithm + ")", true, nil
	}
	return []Call{call("s3", "PutBucketEncryption", map[string]any{"Bucket": st.Bucket,
			"ServerSideEncryptionConfiguration": map[string]any{"Rules": []any{map[string]any{
				"ApplyServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}}})},
		"set SSE-S3 (AES256) default encryption on bucket " + st.Bucket, false, nil
}

func (a S3EnableEncryption) apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error) {
	var st s3EncState
	if err := decode(live, &st); err != nil {
		return nil, err
	}
	if err := putBucketEncryption(ctx, t, s3EncState{Bucket: st.Bucket, Enabled: true, Algorithm: "AES256"}); err != nil {
		return nil, err
	}
	return a.read(ctx, t)
}

func (S3EnableEncryption) undo(ctx context.Context, t Target, r *Record) error {
	var st s3EncState
	if err := decode(r.Before, &st); err != nil {
		return err
	}
	if st.Bucket == "" {
		return fmt.Errorf("record %s has no bucket in its before-state", r.ID)
	}
	if !st.Enabled {
		if _, err := scanner.NewS3(t.Config, t.Endpoint).DeleteBucketEncryption(ctx, &s3.DeleteBucketEncryptionInput{Bucket: &st.Bucket}); err != nil {
			return fmt.Errorf("delete bucket encryption: %w", err)
		}
		return nil
	}
	return putBucketEncryption(ctx, t, st)
}

func putBucketEncryption(ctx context.Context, t Target, st s3EncState) error {
	def := &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryption(st.Algorithm)}
	if st.KMSKeyID != "" {
		def.KMSMasterKeyID = aws.String(st.KMSKeyID)
	}
	rule := s3types.ServerSideEncryptionRule{ApplyServerSideEncryptionByDefault: def}
	if st.BucketKey {
		rule.BucketKeyEnabled = aws.Bool(true)
	}
	_, err := scanner.NewS3(t.Config, t.Endpoint).PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: &st.Bucket,
		ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{rule}}})
	if err != nil {
		return fmt.Errorf("put bucket encryption: %w", err)
	}
	return nil
}
