package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/scanner"
)

// s3Location is a parsed s3://bucket/key-or-prefix.
type s3Location struct{ bucket, key string }

// parseS3 splits an s3:// address; ok is false for anything else.
func parseS3(arg string) (s3Location, bool, error) {
	rest, ok := strings.CutPrefix(arg, "s3://")
	if !ok {
		return s3Location{}, false, nil
	}
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return s3Location{}, true, fmt.Errorf("%s: no bucket (use s3://bucket/prefix/)", arg)
	}
	return s3Location{bucket: bucket, key: key}, true, nil
}

func (l s3Location) String() string { return "s3://" + l.bucket + "/" + l.key }

// s3Client builds an S3 client from the default credential chain, with
// AWS_ENDPOINT_URL and path-style addressing as the scan uses them.
func s3Client(ctx context.Context) (*s3.Client, error) {
	cfg, err := scanner.LoadAWSConfig(ctx, "")
	if err != nil {
		return nil, err
	}
	return scanner.NewS3(cfg, scanner.EndpointFromEnv()), nil
}

// fetchS3 downloads every object under the location (one object when the
// key names one, every object under it when it ends in / or names no
// object) into dir and returns the local paths with the object each came
// from.
func fetchS3(ctx context.Context, cl *s3.Client, loc s3Location, dir string) ([]localSnapshot, error) {
	var keys []string
	if loc.key != "" && !strings.HasSuffix(loc.key, "/") {
		if _, err := cl.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(loc.bucket), Key: aws.String(loc.key)}); err == nil {
			keys = []string{loc.key}
		}
	}
	if keys == nil {
		p := s3.NewListObjectsV2Paginator(cl, &s3.ListObjectsV2Input{Bucket: aws.String(loc.bucket), Prefix: aws.String(loc.key)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("list %s: %w (check the bucket name and your AWS credentials)", loc, err)
			}
			for _, o := range page.Contents {
				if k := aws.ToString(o.Key); !strings.HasSuffix(k, "/") {
					keys = append(keys, k)
				}
			}
		}
		if len(keys) == 0 {
			return nil, fmt.Errorf("%s: no objects there", loc)
		}
	}
	sort.Strings(keys)
	out := make([]localSnapshot, 0, len(keys))
	for i, k := range keys {
		name := "s3://" + loc.bucket + "/" + k
		path := filepath.Join(dir, fmt.Sprintf("s3-%d.vgl", i))
		if err := downloadObject(ctx, cl, loc.bucket, k, path); err != nil {
			return nil, fmt.Errorf("%s: %w", asset.Clean(name), err)
		}
		out = append(out, localSnapshot{path: path, name: asset.Clean(name)})
	}
	return out, nil
}

// downloadObject writes one object to path (0600).
func downloadObject(ctx context.Context, cl *s3.Client, bucket, key, path string) error {
	obj, err := cl.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		return fmt.Errorf("cannot read the object: %w", err)
	}
	defer obj.Body.Close()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, obj.Body); err != nil {
		f.Close()
		return fmt.Errorf("download: %w", err)
	}
	return f.Close()
}

// uploadObject writes a local file to s3://bucket/key.
func uploadObject(ctx context.Context, cl *s3.Client, loc s3Location, path string) error {
	if loc.key == "" || strings.HasSuffix(loc.key, "/") {
		return errors.New("name the object: s3://bucket/key.vgl")
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = cl.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(loc.bucket), Key: aws.String(loc.key),
		Body: f, ContentLength: aws.Int64(st.Size())})
	if err != nil {
		return fmt.Errorf("upload %s: %w", loc, err)
	}
	return nil
}
