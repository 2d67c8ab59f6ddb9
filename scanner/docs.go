package scanner

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/smithy-go"

	"github.com/vigil-sec/vigil/asset"
)

// docsSource is the Source of every asset the AWS collectors produce.
const docsSource = "aws"

// docsAsset builds an asset of the session's account with its identity
// fields. Its name is the Name tag when the resource has one, else the
// natural name given; LastSeen and FirstSeen are the scan time (the store
// keeps the real first sighting).
func docsAsset(s *Session, typ, id, name, region string, tags map[string]string, attrs map[string]any) asset.Asset {
	if tags == nil {
		tags = map[string]string{}
	}
	if tag := tags["Name"]; tag != "" {
		name = tag
	}
	return asset.Asset{
		ID: id, Type: typ, Name: name, Account: s.Account, Region: region,
		Tags: tags, Source: docsSource, FirstSeen: s.Now, LastSeen: s.Now, Attrs: attrs,
	}
}

// docsTime renders a timestamp as RFC3339 UTC, "" when unknown.
func docsTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// docsStrings converts a string slice to a JSON-compatible list (never nil).
func docsStrings(ss []string) []any {
	out := make([]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, s)
	}
	return out
}

// docsInt32 converts an optional int32 to int64 (0 when absent).
func docsInt32(p *int32) int64 {
	if p == nil {
		return 0
	}
	return int64(*p)
}

// docsBool dereferences an optional bool (false when absent).
func docsBool(p *bool) bool { return p != nil && *p }

// docsPolicy normalises an optional policy document; a missing one is nil
// (null in the document).
func docsPolicy(text *string) (any, error) {
	if text == nil {
		return nil, nil
	}
	doc, err := NormalizePolicy(*text)
	if err != nil || doc == nil {
		return nil, err
	}
	return doc, nil
}

// docsErrCode returns the AWS error code of err, or "".
func docsErrCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// docsIsCode reports whether err carries one of the AWS error codes.
func docsIsCode(err error, codes ...string) bool {
	code := docsErrCode(err)
	if code == "" {
		return false
	}
	for _, c := range codes {
		if code == c {
			return true
		}
	}
	return false
}

// docsParallel runs fn for every index in [0, n) with at most workers at a
// time and returns the first error. After an error, indexes not yet started
// are skipped; ctx passed to fn is cancelled so in-flight calls stop early.
func docsParallel(ctx context.Context, n, workers int, fn func(ctx context.Context, i int) error) error {
	if n == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if workers > n {
		workers = n
	}
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(ctx, i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := 0; i < n && ctx.Err() == nil; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// docsDescribeEach describes every listed item on up to workers goroutines
// and returns the assets in listing order. describe returns nil for an item
// that is not an asset (deleted while we looked, AWS-managed); its first
// error fails the whole unit.
func docsDescribeEach[T any](ctx context.Context, items []T, workers int, describe func(context.Context, T) (*asset.Asset, error)) ([]asset.Asset, error) {
	out := make([]*asset.Asset, len(items))
	err := docsParallel(ctx, len(items), workers, func(ctx context.Context, i int) error {
		a, err := describe(ctx, items[i])
		out[i] = a
		return err
	})
	if err != nil {
		return nil, err
	}
	assets := make([]asset.Asset, 0, len(out))
	for _, a := range out {
		if a != nil {
			assets = append(assets, *a)
		}
	}
	return assets, nil
}
