package db

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// Asset history. When a stamped write (a scan's CompleteUnitAt) replaces
// or deletes an asset's document, the document it replaced is kept as a
// version under (asset ID, stamp); when it creates an asset, a marker
// records that the asset did not exist before. The document an asset had
// at a time T is then the first version stamped at or after T, or the
// current one when there is none.
//
//	h/v/ id sep time(8) scan -> kind byte, then the replaced ID record
//	h/t/ time(8) scan sep id -> (empty): versions in time order, for diffs and trimming
const (
	pfxHistVer   = "h/v/"
	pfxHistTime  = "h/t/"
	keyHistSince = "meta/hist/since" // stamp time of the first stamped write (8 bytes)
	keyHistFloor = "meta/hist/floor" // versions before this time were trimmed (8 bytes)
)

// Version kinds: the first byte of a version value.
const (
	histReplaced byte = 1 // the ID record the stamped write replaced follows
	histAbsent   byte = 2 // the asset did not exist before the stamped write
)

// Stamp names the write that changes assets: the scan (or import) that
// made it and when that scan started. Versions are keyed by it.
type Stamp struct {
	Scan string    // scan ID
	At   time.Time // the scan's start
}

// ErrHistoryGone is wrapped when a time is older than the kept history
// (trimmed by retention, or before history was first recorded).
var ErrHistoryGone = errors.New("older than the kept asset history")

// histVerKey is the version key of asset id under stamp st.
func histVerKey(id string, st *Stamp) []byte {
	return timeKey(pfxHistVer+id+sep, st.At, st.Scan)
}

// histTimeKey is the time-ordered key of the same version.
func histTimeKey(id string, st *Stamp) []byte {
	return timeKey(pfxHistTime, st.At, st.Scan+sep+id)
}

// histPrefix is the prefix of every version of asset id.
func histPrefix(id string) []byte { return []byte(pfxHistVer + id + sep) }

// checkStamp refuses a stamp whose scan ID would break the key layout.
func checkStamp(st *Stamp) error {
	if st.At.IsZero() || strings.Contains(st.Scan, sep) {
		return fmt.Errorf("history stamp of scan %q: no time, or NUL bytes in the scan ID", asset.Clean(st.Scan))
	}
	return nil
}

// histEntries are the two entries of one version, prepared before the
// writer reserves room for the asset's group of entries.
type histEntries struct {
	ver, at, val []byte
}

// n and size are what reserve needs for them (none when ver is nil).
func (h *histEntries) n() int {
	if h.ver == nil {
		return 0
	}
	return 2
}

func (h *histEntries) size(b *batch) int64 {
	if h.ver == nil {
		return 0
	}
	return b.entrySize(h.ver, h.val) + b.entrySize(h.at, nil)
}

// write sets both entries; the caller reserved room.
func (h *histEntries) write(b *batch) error {
	if h.ver == nil {
		return nil
	}
	if err := b.set(h.ver, h.val); err != nil {
		return err
	}
	return b.set(h.at, []byte{})
}

// prepare fills h for asset id: kind histAbsent (old nil) or histReplaced
// with the old ID record, keys and value allocated from mem.
func (h *histEntries) prepare(mem *arena, st *Stamp, id string, kind byte, old []byte) {
	h.ver = mem.copyOf(histVerKey(id, st))
	h.at = mem.copyOf(histTimeKey(id, st))
	v := make([]byte, 0, 1+len(old))
	v = append(append(v, kind), old...)
	h.val = mem.copyOf(v)
}

// readIndexItem is readIndex that also returns the item, so a writer that
// replaces the record can keep it as a version.
func readIndexItem(txn *badger.Txn, ik []byte) (indexEntry, *badger.Item, error) {
	item, err := txn.Get(ik)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return indexEntry{}, nil, nil
	}
	if err != nil {
		return indexEntry{}, nil, fmt.Errorf("read asset index: %w", err)
	}
	var ie indexEntry
	err = item.Value(func(v []byte) error {
		var derr error
		ie, _, derr = decodeIndex(v, assetV2)
		return derr
	})
	if err != nil {
		return indexEntry{}, nil, err
	}
	return ie, item, nil
}

// PutAssetsAt is PutAssets for a stamped write: every document it replaces
// is kept as a version, and every asset it creates gets a marker.
func (s *Store) PutAssetsAt(st Stamp, assets []asset.Asset) error {
	if err := s.writable(); err != nil {
		return err
	}
	if err := checkStamp(&st); err != nil {
		return fmt.Errorf("put assets: %w", err)
	}
	return s.putAssets(assets, &st)
}

// CompleteUnitAt is CompleteUnit for a stamped write (a scan's unit): the
// documents it replaces or deletes are kept as versions.
func (s *Store) CompleteUnitAt(st Stamp, unit asset.UnitKey, assets []asset.Asset) ([]asset.Summary, error) {
	if err := s.writable(); err != nil {
		return nil, err
	}
	if err := checkStamp(&st); err != nil {
		return nil, fmt.Errorf("complete unit %s: %w", unit, err)
	}
	if len(assets) == 0 { // putAssets, which starts history, has nothing to do
		if _, err := s.beginHistory(&st); err != nil {
			return nil, fmt.Errorf("complete unit %s: %w", unit, err)
		}
	}
	return s.completeUnit(unit, assets, &st)
}

// DeleteAssetsAt is DeleteAssets for a stamped write (a fix that removed
// the resource): the deleted documents are kept as versions.
func (s *Store) DeleteAssetsAt(st Stamp, ids []string) error {
	if err := s.writable(); err != nil {
		return err
	}
	if err := checkStamp(&st); err != nil {
		return fmt.Errorf("delete assets: %w", err)
	}
	if _, err := s.beginHistory(&st); err != nil {
		return fmt.Errorf("delete assets: %w", err)
	}
	return s.deleteAssets(ids, &st)
}

// beginHistory records when stamped writes began (once) and reports
// whether history was already being kept before st.
func (s *Store) beginHistory(st *Stamp) (bool, error) {
	before := false
	err := s.st.bdb.Update(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(keyHistSince))
		switch {
		case err == nil:
			before = true
			return nil
		case !errors.Is(err, badger.ErrKeyNotFound):
			return err
		}
		return txn.Set([]byte(keyHistSince), binary.BigEndian.AppendUint64(nil, uint64(timeNanos(st.At))))
	})
	if err != nil {
		return false, fmt.Errorf("start asset history: %w", err)
	}
	return before, nil
}

// keepDeleted prepares the version of an asset a stamped unit deletes.
func keepDeleted(txn *badger.Txn, st *Stamp, id string) (histEntries, error) {
	var h histEntries
	item, err := txn.Get(indexKey(id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return h, nil
	}
	if err != nil {
		return h, fmt.Errorf("read asset %s: %w", asset.Clean(id), err)
	}
	old, err := item.ValueCopy(nil)
	if err != nil {
		return h, fmt.Errorf("read asset %s: %w", asset.Clean(id), err)
	}
	h.ver = histVerKey(id, st)
	h.at = histTimeKey(id, st)
	h.val = append([]byte{histReplaced}, old...)
	return h, nil
}

// HistoryFloor is the earliest time asset documents can be told at: the
// later of when history began and what retention trimmed. ok is false
// when no history was ever recorded.
func (s *Store) HistoryFloor() (floor time.Time, ok bool, err error) {
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		for _, k := range []string{keyHistSince, keyHistFloor} {
			err := getValue(txn, []byte(k), func(v []byte) error {
				if len(v) != 8 {
					return fmt.Errorf("history mark %s: %w", k, errCorrupt)
				}
				t := nanosTime(int64(binary.BigEndian.Uint64(v)))
				if k == keyHistSince {
					ok = true
				}
				if t.After(floor) {
					floor = t
				}
				return nil
			})
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read asset history bounds: %w", err)
	}
	return floor, ok, nil
}

// version prepares w.hist for one asset put: nothing without a stamp or
// when the document is unchanged; the replaced ID record when item (the
// stored record) is set; a marker for a new asset when w.markNew.
func (w *chunkWriter) version(id string, item *badger.Item, unchanged bool) error {
	w.hist = histEntries{}
	if w.stamp == nil || unchanged {
		return nil
	}
	if item == nil {
		if w.markNew {
			w.hist.prepare(&w.mem, w.stamp, id, histAbsent, nil)
		}
		return nil
	}
	return item.Value(func(old []byte) error {
		w.hist.prepare(&w.mem, w.stamp, id, histReplaced, old)
		return nil
	})
}
