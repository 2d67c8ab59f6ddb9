package db

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// Version is one kept version of an asset: the document it had until the
// stamped write (Scan, At) replaced it, or nil when that write created it.
type Version struct {
	Scan string
	At   time.Time
	Doc  *asset.Asset // nil: the asset did not exist before this write
}

// parseStampTail reads time(8) and the rest of a key after its prefix.
func parseStampTail(b []byte) (time.Time, []byte, bool) {
	if len(b) < 8 {
		return time.Time{}, nil, false
	}
	n := int64(binary.BigEndian.Uint64(b[:8]) ^ (1 << 63))
	return nanosTime(n), b[8:], true
}

// decodeVersion reads a version value: nil document for a marker.
func decodeVersion(v []byte) (*asset.Asset, error) {
	if len(v) == 0 {
		return nil, fmt.Errorf("asset version: %w", errCorrupt)
	}
	switch v[0] {
	case histAbsent:
		return nil, nil
	case histReplaced:
		a, err := decodeRecordDoc(v[1:])
		if err != nil {
			return nil, fmt.Errorf("asset version: %w", err)
		}
		return a, nil
	}
	return nil, fmt.Errorf("asset version: unknown kind %d: %w", v[0], errCorrupt)
}

// AssetVersions returns the kept versions of one asset, oldest first.
func (s *Store) AssetVersions(id string) ([]Version, error) {
	prefix := histPrefix(id)
	var out []Version
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			at, scan, ok := parseStampTail(it.Item().Key()[len(prefix):])
			if !ok {
				return fmt.Errorf("version key %q: %w", printableKey(it.Item().Key()), errCorrupt)
			}
			v := Version{Scan: string(scan), At: at}
			if err := it.Item().Value(func(b []byte) error {
				var derr error
				v.Doc, derr = decodeVersion(b)
				return derr
			}); err != nil {
				return err
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("history of asset %s: %w", asset.Clean(id), err)
	}
	return out, nil
}

// AssetAt returns the document asset id had just before time t: the first
// version stamped at or after t, else the current document. ErrNotFound
// when the asset did not exist then; ErrHistoryGone when t is older than
// the kept history.
func (s *Store) AssetAt(id string, t time.Time) (*asset.Asset, error) {
	floor, ok, err := s.HistoryFloor()
	if err != nil {
		return nil, err
	}
	if !ok || t.Before(floor) {
		return nil, fmt.Errorf("asset %s at %s: %w (history starts %s)", asset.Clean(id),
			t.UTC().Format(time.RFC3339), ErrHistoryGone, floorText(floor, ok))
	}
	var a *asset.Asset
	found := false
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		var ferr error
		a, found, ferr = versionAt(txn, id, t)
		return ferr
	})
	if err != nil {
		return nil, fmt.Errorf("asset %s at %s: %w", asset.Clean(id), t.UTC().Format(time.RFC3339), err)
	}
	if found {
		if a == nil {
			return nil, fmt.Errorf("asset %s at %s: %w (it did not exist yet)", asset.Clean(id), t.UTC().Format(time.RFC3339), ErrNotFound)
		}
		return a, nil
	}
	return s.Asset(id)
}

// floorText renders where history starts for an error message.
func floorText(floor time.Time, ok bool) string {
	if !ok {
		return "with the next scan: none was kept yet"
	}
	return floor.UTC().Format(time.RFC3339)
}

// versionAt reads the first version of id stamped at or after t; found is
// false when there is none (the current document applies).
func versionAt(txn *badger.Txn, id string, t time.Time) (*asset.Asset, bool, error) {
	prefix := histPrefix(id)
	opts := badger.DefaultIteratorOptions
	opts.Prefix = prefix
	opts.PrefetchValues = false
	it := txn.NewIterator(opts)
	defer it.Close()
	it.Seek(timeKey(string(prefix), t, ""))
	if !it.ValidForPrefix(prefix) {
		return nil, false, nil
	}
	var a *asset.Asset
	err := it.Item().Value(func(b []byte) error {
		var derr error
		a, derr = decodeVersion(b)
		return derr
	})
	return a, true, err
}

// DocsAt reads, for each of ids, the document it had just before t (nil:
// it did not exist; t zero: the current one), in one read transaction. The caller checks t against
// HistoryFloor.
func (s *Store) DocsAt(ids []string, t time.Time) (map[string]*asset.Asset, error) {
	out := make(map[string]*asset.Asset, len(ids))
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		for _, id := range ids {
			var a *asset.Asset
			found, err := false, error(nil)
			if !t.IsZero() {
				if a, found, err = versionAt(txn, id, t); err != nil {
					return fmt.Errorf("asset %s: %w", asset.Clean(id), err)
				}
			}
			if !found {
				a, err = currentDoc(txn, id)
				if err != nil {
					return fmt.Errorf("asset %s: %w", asset.Clean(id), err)
				}
			}
			out[id] = a
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read asset history: %w", err)
	}
	return out, nil
}

// currentDoc reads the stored document of id, nil when there is none.
func currentDoc(txn *badger.Txn, id string) (*asset.Asset, error) {
	var a *asset.Asset
	err := getValue(txn, indexKey(id), func(v []byte) error {
		var derr error
		a, derr = decodeRecordDoc(v)
		return derr
	})
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return a, fillLastSeen(txn, a)
}

// ChangedBetween returns the IDs of assets with a version stamped in
// [from, to) (to zero: no end), each once, in stamp order.
func (s *Store) ChangedBetween(from, to time.Time) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	prefix := []byte(pfxHistTime)
	end := []byte(nil)
	if !to.IsZero() {
		end = timeKey(pfxHistTime, to, "")
	}
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(timeKey(pfxHistTime, from, "")); it.ValidForPrefix(prefix); it.Next() {
			k := it.Item().Key()
			if end != nil && bytes.Compare(k, end) >= 0 {
				break
			}
			_, tail, ok := parseStampTail(k[len(prefix):])
			i := bytes.IndexByte(tail, 0)
			if !ok || i < 0 {
				return fmt.Errorf("version key %q: %w", printableKey(k), errCorrupt)
			}
			id := string(tail[i+1:])
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read asset history: %w", err)
	}
	return out, nil
}

// NextScanStart is when the first scan after scan id started (zero when
// id is the newest): the state scan id left is what the store held until
// then, fixes made before the next scan included.
func (s *Store) NextScanStart(id string) (*asset.Scan, time.Time, error) {
	sc, err := s.Scan(id)
	if err != nil {
		return nil, time.Time{}, err
	}
	var next time.Time
	prefix := []byte(pfxScanTime)
	self := timeKey(pfxScanTime, sc.Started, sc.ID)
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(self); it.ValidForPrefix(prefix); it.Next() {
			if bytes.Equal(it.Item().Key(), self) {
				continue
			}
			t, _, ok := parseStampTail(it.Item().Key()[len(prefix):])
			if !ok {
				return fmt.Errorf("scan key %q: %w", printableKey(it.Item().Key()), errCorrupt)
			}
			next = t
			return nil
		}
		return nil
	})
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("scan after %s: %w", asset.Clean(id), err)
	}
	return sc, next, nil
}
