package db

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// Retention says how long replaced asset documents are kept: the versions
// the last Scans scans replaced, or those of the last Days days, whichever
// keeps more.
type Retention struct {
	Scans int
	Days  int
}

// TrimHistory deletes the versions neither retention rule keeps and
// records the new floor (HistoryFloor). It walks only the versions it
// deletes, so a scan that calls it each time pays for what expired since
// the last one. It returns how many versions it deleted.
func (s *Store) TrimHistory(r Retention, now time.Time) (int, error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	cutoff, err := s.trimCutoff(r, now)
	if err != nil {
		return 0, fmt.Errorf("trim asset history: %w", err)
	}
	if cutoff.IsZero() {
		return 0, nil
	}
	var doomed [][]byte // time keys below the cut-off
	prefix := []byte(pfxHistTime)
	end := timeKey(pfxHistTime, cutoff, "")
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.PrefetchValues = false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			k := it.Item().Key()
			if bytes.Compare(k, end) >= 0 {
				break
			}
			doomed = append(doomed, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("trim asset history: %w", err)
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for _, tk := range doomed {
		_, tail, ok := parseStampTail(tk[len(prefix):])
		i := bytes.IndexByte(tail, 0)
		if !ok || i < 0 {
			return 0, fmt.Errorf("trim asset history: version key %q: %w", printableKey(tk), errCorrupt)
		}
		vk := append(append([]byte(pfxHistVer), tail[i+1:]...), sep...)
		vk = append(vk, tk[len(prefix):len(prefix)+8]...)
		vk = append(vk, tail[:i]...)
		if err := b.reserve(2, b.entrySize(tk, nil)+b.entrySize(vk, nil)); err != nil {
			return 0, fmt.Errorf("trim asset history: %w", err)
		}
		if err := b.del(tk); err != nil {
			return 0, fmt.Errorf("trim asset history: %w", err)
		}
		if err := b.del(vk); err != nil {
			return 0, fmt.Errorf("trim asset history: %w", err)
		}
	}
	if old, _, err := s.HistoryFloor(); err == nil && cutoff.After(old) {
		floor := binary.BigEndian.AppendUint64(nil, uint64(timeNanos(cutoff)))
		if err := b.put([]byte(keyHistFloor), floor); err != nil {
			return 0, fmt.Errorf("trim asset history: %w", err)
		}
	}
	if err := b.commit(); err != nil {
		return 0, fmt.Errorf("trim asset history: %w", err)
	}
	return len(doomed), nil
}

// trimCutoff is the earlier of the start of the Scans-th newest scan and
// now minus Days: versions stamped before it go. Zero when fewer scans
// than Scans exist (everything is kept).
func (s *Store) trimCutoff(r Retention, now time.Time) (time.Time, error) {
	byDays := now.AddDate(0, 0, -r.Days)
	var nth time.Time
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(pfxScanTime)
		opts.PrefetchValues = false
		opts.Reverse = true
		it := txn.NewIterator(opts)
		defer it.Close()
		n := 0
		for it.Seek(prefixEnd(opts.Prefix)); it.ValidForPrefix(opts.Prefix); it.Next() {
			n++
			if n == r.Scans {
				t, _, ok := parseStampTail(it.Item().Key()[len(opts.Prefix):])
				if !ok {
					return fmt.Errorf("scan key %q: %w", printableKey(it.Item().Key()), errCorrupt)
				}
				nth = t
				return nil
			}
		}
		return nil
	})
	if err != nil || nth.IsZero() {
		return time.Time{}, err
	}
	if byDays.Before(nth) {
		return byDays, nil
	}
	return nth, nil
}
