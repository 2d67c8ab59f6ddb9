package db

import (
	"encoding/json"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// pfxGone holds a tombstone for every asset a completed unit deleted whose
// violations the lifecycle has not closed yet: id -> goneRecord JSON. The
// tombstone is written in the transaction that deletes the asset and
// removed in the one that records the scan's end (FinishScan), so a scan
// killed in between leaves the next evaluation a list of what to close.
const pfxGone = "gd/"

// goneRecord is what a tombstone keeps of a deleted asset.
type goneRecord struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

// putTombstone records in b that the asset is being deleted.
func putTombstone(b *batch, g *asset.Summary) error {
	raw, err := json.Marshal(goneRecord{ID: g.ID, Type: g.Type, Account: g.Account, Region: g.Region})
	if err != nil {
		return err
	}
	return b.set(key(pfxGone, g.ID), raw)
}

// PendingDeletions returns the assets deleted by completed units whose
// violations are not closed yet (gone), and the IDs of tombstones whose
// asset has come back since (back: nothing to close, the tombstone is
// stale). A scan that finished normally leaves neither.
func (s *Store) PendingDeletions() (gone []asset.Summary, back []string, err error) {
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(pfxGone)
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(opts.Prefix); it.ValidForPrefix(opts.Prefix); it.Next() {
			var g goneRecord
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &g) }); err != nil {
				return fmt.Errorf("deletion record %q: %w", printableKey(it.Item().Key()), err)
			}
			_, err := txn.Get(indexKey(g.ID))
			switch {
			case err == nil:
				back = append(back, g.ID)
			case errors.Is(err, badger.ErrKeyNotFound):
				gone = append(gone, asset.Summary{ID: g.ID, Type: g.Type, Account: g.Account, Region: g.Region})
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("read pending deletions: %w", err)
	}
	return gone, back, nil
}

// FinishScan records the scan's end and removes the tombstones of settled
// (assets whose violations the lifecycle has now closed, or that came
// back). The scan record is the last write, so once it reads as finished
// every tombstone it settled is gone too.
func (s *Store) FinishScan(sc *asset.Scan, settled []string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if err := s.dropEvalStates(settled); err != nil {
		return fmt.Errorf("finish scan %s: %w", sc.ID, err)
	}
	raw, err := json.Marshal(sc)
	if err != nil {
		return fmt.Errorf("finish scan %s: %w", sc.ID, err)
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for _, id := range settled {
		if err := b.remove(key(pfxGone, id)); err != nil {
			return fmt.Errorf("finish scan %s: %w", sc.ID, err)
		}
	}
	tk := timeKey(pfxScanTime, sc.Started, sc.ID)
	if err := b.reserve(3, b.entrySize(tk, raw)+2*b.entrySize(tk, tk)); err != nil {
		return fmt.Errorf("finish scan %s: %w", sc.ID, err)
	}
	if err := putTimeKeyed(b.txn, key(pfxScanID, sc.ID), tk, raw); err != nil {
		return fmt.Errorf("finish scan %s: %w", sc.ID, err)
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("finish scan %s: %w", sc.ID, err)
	}
	return nil
}

// keyRecover is set when Open found a scan that a killed process left
// running: what it stored was never fully evaluated, so the next cycle
// built on the store re-runs evaluation and lifecycle first
// (NeedsRecovery, FinishRecovery).
const keyRecover = "meta/recover"

// markRecovery records that an interrupted scan needs its evaluation re-run.
func (s *Store) markRecovery() error {
	return s.st.bdb.Update(func(txn *badger.Txn) error { return txn.Set([]byte(keyRecover), []byte{1}) })
}

// NeedsRecovery reports whether a killed scan left work for the next
// evaluation: a scan found running at open, or assets deleted whose
// violations were not closed.
func (s *Store) NeedsRecovery() (bool, error) {
	need := false
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		if _, err := txn.Get([]byte(keyRecover)); err == nil {
			need = true
			return nil
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.PrefetchValues = []byte(pfxGone), false
		it := txn.NewIterator(opts)
		defer it.Close()
		it.Seek(opts.Prefix)
		need = it.ValidForPrefix(opts.Prefix)
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("read recovery state: %w", err)
	}
	return need, nil
}

// FinishRecovery removes the tombstones of settled and the recovery mark,
// after an evaluation has closed what the interrupted scan left open.
func (s *Store) FinishRecovery(settled []string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if err := s.dropEvalStates(settled); err != nil {
		return fmt.Errorf("finish recovery: %w", err)
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for _, id := range settled {
		if err := b.remove(key(pfxGone, id)); err != nil {
			return fmt.Errorf("finish recovery: %w", err)
		}
	}
	if err := b.remove([]byte(keyRecover)); err != nil {
		return fmt.Errorf("finish recovery: %w", err)
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("finish recovery: %w", err)
	}
	return nil
}

// ReadOnly reports whether the store was opened read-only.
func (s *Store) ReadOnly() bool { return s.st.readOnly }
