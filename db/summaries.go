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
// in parallel, each into the unit's own blocks. Past the first
// shareTagsAfter summaries, equal tag sets are one string.
func (s *Store) AllSummaries() ([]asset.Summary, error) {
	return s.allSummaries(shareTagsAfter)
}

// shareTagsAfter is how many summaries a load decodes before it shares tag
// sets. Sharing costs ~200 ns a summary (a table lookup that misses the
// CPU caches: BenchmarkDecodeSummaries100k) and pays on a large store: at
// 1M demo assets 423k distinct sets stand for 1M, 82 MiB saved, against 5
// of 18 MB at 100k, where it cost the first dashboard frame ~35 ms of ~200.
const shareTagsAfter = 150_000

// allSummaries is AllSummaries, sharing tag sets after the first
// shareAfter summaries (whole units: a unit is shared or not).
func (s *Store) allSummaries(shareAfter int) ([]asset.Summary, error) {
	workers := runtime.GOMAXPROCS(0)
	units, err := s.summaryUnits()
	if err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	parts := make([][][]asset.Summary, len(units))
	errs := make([]error, workers)
	tags := newTagTable(shareAfter)
	next := make(chan int, len(units))
	for i := range units {
		next <- i
	}
	close(next)
	var wg sync.WaitGroup
	for w := range min(workers, len(units)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if errs[w] = s.decodeUnits(units, next, parts, tags); errs[w] != nil {
				for range next { // let the other workers finish
				}
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

// summaryBlock is the largest block a worker decodes into: blocks start
// small (units are often small) and double, so no slice is ever re-copied
// while it grows.
const summaryBlock = 1024

// decodeUnits decodes the summaries under each prefix, all through one
// transaction, iterator and summary decoder (which interns per worker and
// shares tag sets through tags).
func (s *Store) decodeUnits(units [][]byte, next <-chan int, parts [][][]asset.Summary, tags *tagTable) error {
	return s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = []byte(pfxSummary)
		it := txn.NewIterator(opts)
		defer it.Close()
		var sd sumDecoder
		for i := range next {
			prefix := units[i]
			sd.tags = tags.ifActive()
			var blocks [][]asset.Summary
			var cur []asset.Summary
			total := 0
			for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
				if len(cur) == cap(cur) {
					cur = make([]asset.Summary, 0, min(summaryBlock, max(64, total)))
					blocks = append(blocks, cur)
				}
				cur = append(cur, asset.Summary{})
				if err := it.Item().Value(func(v []byte) error { return sd.decode(v, &cur[len(cur)-1]) }); err != nil {
					return err
				}
				blocks[len(blocks)-1] = cur
				total++
			}
			parts[i] = blocks
			tags.decoded(total)
		}
		return nil
	})
}
