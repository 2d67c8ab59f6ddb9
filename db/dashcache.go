package db

import (
	"encoding/binary"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// The dashboard cache keeps one console dashboard's numbers (opaque bytes
// to the store) with the store version they were computed at. Badger gives
// every committed write transaction the next version, so the cache is
// valid exactly when it was written right after the version it was
// computed at (nothing committed in between) and nothing was written since
// (it is still the newest version). Any write at all — an asset, a
// violation, an exception, a group, a policy state, an audit record —
// makes it stale; a stale cache is never answered, only overwritten.
const keyDashCache = "cache/dash"

// DataVersion is the store's newest write version (0 once closed); compare
// it before and after computing something from the store to know nothing
// changed.
func (s *Store) DataVersion() uint64 {
	var v uint64
	_ = s.st.bdb.View(func(txn *badger.Txn) error { // a read sees every commit up to its version
		v = txn.ReadTs()
		return nil
	})
	return v
}

// PutDashCache saves data under key as computed at version basedOn, unless
// the store was written since (the data may already be stale) or is
// read-only; it reports whether it saved.
func (s *Store) PutDashCache(key string, basedOn uint64, data []byte) (bool, error) {
	if s.st.readOnly {
		return false, nil
	}
	raw := binary.AppendUvarint(nil, basedOn)
	raw = binary.AppendUvarint(raw, uint64(len(key)))
	raw = append(append(raw, key...), data...)
	saved := false
	err := s.st.bdb.Update(func(txn *badger.Txn) error {
		if txn.ReadTs() != basedOn {
			return nil
		}
		saved = true
		return txn.Set([]byte(keyDashCache), raw)
	})
	if err != nil {
		return false, fmt.Errorf("save dashboard cache: %w", err)
	}
	return saved, nil
}

// DashCache returns the data saved under key when it is still valid:
// saved for the same key, with no write between its computing and its
// saving, and none since.
func (s *Store) DashCache(key string) ([]byte, bool, error) {
	var out []byte
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get([]byte(keyDashCache))
		if err != nil {
			return err
		}
		ver := item.Version()
		if ver != txn.ReadTs() { // written since
			return nil
		}
		return item.Value(func(raw []byte) error {
			based, n := binary.Uvarint(raw)
			if n <= 0 || based+1 != ver {
				return nil
			}
			raw = raw[n:]
			kl, n := binary.Uvarint(raw)
			if n <= 0 || kl > uint64(len(raw)-n) || string(raw[n:n+int(kl)]) != key {
				return nil
			}
			out = append([]byte{}, raw[n+int(kl):]...)
			return nil
		})
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read dashboard cache: %w", err)
	}
	return out, out != nil, nil
}
