package db

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// upgradeV1 rewrites a schema-1 store to schema 2 in one pass: each asset's
// index entry and document (two entries, a/i/ and a/d/) become one ID record
// (a/i/). Each asset changes in one transaction, and a record already in
// the new layout is skipped, so an upgrade cut short by a crash resumes
// where it stopped; the schema is stamped by the caller once it is done.
func (s *Store) upgradeV1() error {
	b := newBatch(s.st.bdb)
	defer b.discard()
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(pfxIndex)
		it := txn.NewIterator(opts)
		defer it.Close()
		var rec []byte
		for it.Seek(opts.Prefix); it.ValidForPrefix(opts.Prefix); it.Next() {
			item := it.Item()
			ik := item.KeyCopy(nil)
			id := string(ik[len(pfxIndex):])
			var ie indexEntry
			upgraded := false
			err := item.Value(func(v []byte) error {
				if len(v) > 0 && v[0] == assetV2 {
					upgraded = true
					return nil
				}
				var derr error
				ie, _, derr = decodeIndex(v, indexV1)
				return derr
			})
			if err != nil {
				return fmt.Errorf("asset %s: %w", asset.Clean(id), err)
			}
			if upgraded {
				continue
			}
			dk := docKey(ie.account, ie.typ, ie.region, id)
			rec = encodeIndex(rec, assetV2, ie)
			err = getValue(txn, dk, func(v []byte) error { rec = append(rec, v...); return nil })
			if err != nil {
				return fmt.Errorf("document of asset %s: %w", asset.Clean(id), err)
			}
			if err := b.reserve(2, b.entrySize(ik, rec)+b.entrySize(dk, nil)); err != nil {
				return err
			}
			if err := b.set(ik, append([]byte(nil), rec...)); err != nil {
				return err
			}
			if err := b.del(dk); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("upgrade store from schema v1: %w", err)
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("upgrade store from schema v1: %w", err)
	}
	return nil
}
