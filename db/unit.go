package db

import (
	"bytes"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// CompleteUnit records that a unit finished listing: assets are upserted and
// every stored asset the unit contains (asset.UnitKey.Contains) but that is
// not in assets is deleted. It returns the summaries of the deleted assets.
// Members are found by a prefix scan of the summary keys, which are ordered
// account, type, region, so a unit is one key range.
func (s *Store) CompleteUnit(unit asset.UnitKey, assets []asset.Asset) ([]asset.Summary, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	return s.completeUnit(unit, assets, nil)
}

// completeUnit is CompleteUnit; a stamp keeps what it replaces or deletes.
func (s *Store) completeUnit(unit asset.UnitKey, assets []asset.Asset, stamp *Stamp) ([]asset.Summary, error) {
	if err := s.putAssets(assets, stamp); err != nil {
		return nil, fmt.Errorf("complete unit %s: %w", unit, err)
	}
	keep := make(map[string]struct{}, len(assets))
	for i := range assets {
		keep[assets[i].ID] = struct{}{}
	}
	gone, err := s.unitLeftovers(unit, keep)
	if err != nil {
		return nil, fmt.Errorf("complete unit %s: %w", unit, err)
	}
	if len(gone) == 0 {
		return nil, nil
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for i := range gone {
		g := &gone[i]
		ie := indexEntry{account: g.Account, typ: g.Type, region: g.Region}
		var h histEntries
		if stamp != nil {
			var err error
			if h, err = keepDeleted(b.txn, stamp, g.ID); err != nil {
				return nil, fmt.Errorf("complete unit %s: %w", unit, err)
			}
		}
		if err := b.reserve(5+h.n(), h.size(b)+6*int64(len(g.ID)+len(g.Type)+len(g.Account)+len(g.Region)+64)); err != nil {
			return nil, fmt.Errorf("complete unit %s: %w", unit, err)
		}
		if err := h.write(b); err != nil {
			return nil, fmt.Errorf("complete unit %s: %w", unit, err)
		}
		// The tombstone shares the deletion's transaction: see pfxGone.
		if err := putTombstone(b, g); err != nil {
			return nil, fmt.Errorf("complete unit %s: %w", unit, err)
		}
		if err := deleteAssetKeys(b, g.ID, ie); err != nil {
			return nil, fmt.Errorf("complete unit %s: %w", unit, err)
		}
	}
	if err := b.commit(); err != nil {
		return nil, fmt.Errorf("complete unit %s: %w", unit, err)
	}
	ids := make([]string, len(gone))
	for i := range gone {
		ids[i] = gone[i].ID
	}
	if err := s.dropEvalStates(ids); err != nil {
		return nil, fmt.Errorf("complete unit %s: %w", unit, err)
	}
	return gone, nil
}

// unitLeftovers returns the summaries of the unit's stored members whose
// IDs are not in keep.
func (s *Store) unitLeftovers(unit asset.UnitKey, keep map[string]struct{}) ([]asset.Summary, error) {
	prefix := unitPrefix(unit)
	var gone []asset.Summary
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			k := item.Key()
			id := k[bytes.LastIndexByte(k, 0)+1:]
			if _, ok := keep[string(id)]; ok {
				continue
			}
			var sum asset.Summary
			if err := item.Value(func(v []byte) error { return decodeSummary(v, &sum) }); err != nil {
				return err
			}
			if unit.Contains(&sum) {
				gone = append(gone, sum)
			}
		}
		return nil
	})
	return gone, err
}
