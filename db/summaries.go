package db

import (
	"errors"
	"fmt"
	"runtime"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// AllSummaries loads every summary into memory, in key order (type,
// account, region, ID). The key space is cut into work units, one per type
// and account, found by seeking from one to the next; workers decode units
// in parallel, each into the unit's own blocks.
func (s *Store) AllSummaries() ([]asset.Summary, error) {
	workers := runtime.GOMAXPROCS(0)
	units, err := s.summaryUnits()
	if err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	parts := make([][][]asset.Summary, len(units))
	errs := make([]error, len(units))
	next := make(chan int, len(units))
	for i := range units {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for range min(workers, len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				parts[i], errs[i] = s.summariesUnder(units[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	n := 0
	for _, blocks := range parts {
		for _, b := range blocks {
			n += len(b)
		}
	}
	out := make([]asset.Summary, 0, n)
	for _, blocks := range parts {
		for _, b := range blocks {
			out = append(out, b...)
		}
	}
	return out, nil
}

// summaryUnits returns key prefixes that together cover every summary once,
// in key order: one per type and account.
func (s *Store) summaryUnits() ([][]byte, error) {
	var units [][]byte
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = []byte(pfxSummary)
		it := txn.NewIterator(opts)
		defer it.Close()
		for _, typ := range children(it, []byte(pfxSummary)) {
			units = append(units, children(it, typ)...)
		}
		return nil
	})
	return units, err
}

// children returns base+value+sep for every distinct value of the next key
// field under base (which ends where a field starts), seeking past each
// value's keys rather than reading them.
func children(it *badger.Iterator, base []byte) [][]byte {
	var out [][]byte
	for it.Seek(base); it.ValidForPrefix(base); {
		k := it.Item().Key()
		end := len(base)
		for end < len(k) && k[end] != 0 {
			end++
		}
		child := append(append([]byte{}, k[:end]...), sep...)
		out = append(out, child)
		// sep is 0x00, so child with 0x01 in its place is past every key
		// under child and before the next value.
		past := append([]byte{}, child...)
		past[len(past)-1] = 1
		it.Seek(past)
	}
	return out
}

// summaryBlock is how many summaries a worker decodes into one block:
// fixed blocks avoid re-copying a growing slice.
const summaryBlock = 1024

// summariesUnder decodes every summary whose key starts with prefix, into
// blocks of summaryBlock.
func (s *Store) summariesUnder(prefix []byte) ([][]asset.Summary, error) {
	var out [][]asset.Summary
	var cur []asset.Summary
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			if len(cur) == cap(cur) {
				cur = make([]asset.Summary, 0, summaryBlock)
				out = append(out, cur)
			}
			cur = append(cur, asset.Summary{})
			if err := it.Item().Value(func(v []byte) error { return decodeSummary(v, &cur[len(cur)-1]) }); err != nil {
				return err
			}
			out[len(out)-1] = cur
		}
		return nil
	})
	return out, err
}
