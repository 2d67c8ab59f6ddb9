package db

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/vigil-sec/vigil/asset"
)

// AllSummaries loads every summary into memory. It reads key ranges in
// parallel with Badger's Stream, each thread decoding into its own slice.
func (s *Store) AllSummaries() ([]asset.Summary, error) {
	threads := max(runtime.GOMAXPROCS(0), 1)
	parts := make([][]asset.Summary, threads)
	errs := make([]error, threads) // Stream only logs KeyToList errors
	st := s.st.bdb.NewStream()
	st.Prefix = []byte(pfxSummary)
	st.NumGo = threads
	st.LogPrefix = ""
	st.UseKeyToListWithThreadId = true
	st.KeyToListWithThreadId = func(_ []byte, it *badger.Iterator, tid int) (*pb.KVList, error) {
		item := it.Item()
		if item.IsDeletedOrExpired() || tid < 0 || tid >= threads || errs[tid] != nil {
			return nil, nil // the stream iterates all versions: skip deleted keys
		}
		var sum asset.Summary
		if err := item.Value(func(v []byte) error { return decodeSummary(v, &sum) }); err != nil {
			errs[tid] = err
			return nil, nil
		}
		parts[tid] = append(parts[tid], sum)
		return nil, nil
	}
	st.FinishThread = func(int) (*pb.KVList, error) { return &pb.KVList{}, nil }
	st.Send = func(*z.Buffer) error { return nil }
	if err := st.Orchestrate(context.Background()); err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]asset.Summary, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}
