package db

import (
	"encoding/binary"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// Summaries calls fn for every asset summary until fn returns false.
func (s *Store) Summaries(fn func(*asset.Summary) bool) error {
	prefix := []byte(pfxSummary)
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		var sd sumDecoder
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			var sum asset.Summary
			if err := it.Item().Value(func(v []byte) error { return sd.decode(v, &sum) }); err != nil {
				return err
			}
			if !fn(&sum) {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read summaries: %w", err)
	}
	return nil
}

// Summary reads one summary.
func (s *Store) Summary(id string) (asset.Summary, error) {
	var sum asset.Summary
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		ie, found, err := readIndex(txn, indexKey(id))
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		return getValue(txn, summaryKey(ie.account, ie.typ, ie.region, id), func(v []byte) error {
			return decodeSummary(v, &sum)
		})
	})
	if err != nil {
		return asset.Summary{}, fmt.Errorf("asset summary %s: %w", asset.Clean(id), err)
	}
	return sum, nil
}

// Asset reads one full asset document, with LastSeen from its summary.
func (s *Store) Asset(id string) (*asset.Asset, error) {
	var a *asset.Asset
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		err := getValue(txn, indexKey(id), func(v []byte) error {
			var derr error
			a, derr = decodeRecordDoc(v)
			return derr
		})
		if err != nil {
			return err
		}
		return fillLastSeen(txn, a)
	})
	if err != nil {
		return nil, fmt.Errorf("asset %s: %w", asset.Clean(id), err)
	}
	return a, nil
}

// CountAssets returns the number of stored assets.
func (s *Store) CountAssets() (int, error) {
	n, err := s.countPrefix([]byte(pfxIndex))
	if err != nil {
		return 0, fmt.Errorf("count assets: %w", err)
	}
	return n, nil
}

// countPrefix counts keys with a prefix without reading values.
func (s *Store) countPrefix(prefix []byte) (int, error) {
	n := 0
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			n++
		}
		return nil
	})
	return n, err
}

// fillLastSeen sets a document's LastSeen from its summary: documents are
// rewritten only when their content changes, summaries at every sighting.
func fillLastSeen(txn *badger.Txn, a *asset.Asset) error {
	return getValue(txn, summaryKey(a.Account, a.Type, a.Region, a.ID), func(v []byte) error {
		return lastSeenOf(v, a)
	})
}

// lastSeenOf sets a.LastSeen from an encoded summary.
func lastSeenOf(summary []byte, a *asset.Asset) error {
	if len(summary) < lastSeenAt+8 || summary[0] != summaryV1 {
		return fmt.Errorf("asset summary of %s: %w", asset.Clean(a.ID), errCorrupt)
	}
	a.LastSeen = nanosTime(int64(binary.BigEndian.Uint64(summary[lastSeenAt:])))
	return nil
}

// getValue reads one key, mapping a missing key to ErrNotFound.
func getValue(txn *badger.Txn, k []byte, fn func([]byte) error) error {
	item, err := txn.Get(k)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return item.Value(fn)
}
