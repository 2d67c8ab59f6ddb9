package db

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// AssetsOfType calls fn for every full asset of one type (LastSeen from its
// summary), in ID order; an error from fn stops the walk and is returned as
// it is.
//
// The type's members come from its summaries (one key range); their ID
// records are then read in ID order through one iterator, stepping forward
// over the few records of other types in between (assets of one type
// mostly have neighbouring IDs: ARNs share service, region, account and
// resource type) and seeking only across longer gaps. Point reads of each
// record cost about twice as much.
func (s *Store) AssetsOfType(typ string, fn func(*asset.Asset) error) error {
	var fnErr error
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		members, err := typeMembers(txn, typ)
		if err != nil {
			return err
		}
		fnErr, err = walkRecords(txn, members, fn)
		return err
	})
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("read assets of type %s: %w", typ, err)
	}
	return nil
}

// member is one asset of a type: its ID and LastSeen (from its summary).
type member struct {
	id       string
	lastSeen int64
}

// typeMembers lists a type's assets from its summaries, sorted by ID.
func typeMembers(txn *badger.Txn, typ string) ([]member, error) {
	prefix := append(key(pfxSummary, typ), sep...)
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = prefix
	it := txn.NewIterator(opts)
	defer it.Close()
	var out []member
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		m := member{id: string(k[bytes.LastIndexByte(k, 0)+1:])}
		err := item.Value(func(v []byte) error {
			if len(v) < lastSeenAt+8 || v[0] != summaryV1 {
				return fmt.Errorf("asset summary of %s: %w", asset.Clean(m.id), errCorrupt)
			}
			m.lastSeen = int64(binary.BigEndian.Uint64(v[lastSeenAt:]))
			return nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b member) int { return strings.Compare(a.id, b.id) })
	return out, nil
}

// seekAfter is how many records of other types the walk steps over before
// it seeks instead.
const seekAfter = 16

// walkRecords decodes the ID records of members (sorted by ID) and calls
// fn with each; fnErr is fn's error, err the store's.
func walkRecords(txn *badger.Txn, members []member, fn func(*asset.Asset) error) (fnErr, err error) {
	if len(members) == 0 {
		return nil, nil
	}
	opts := badger.DefaultIteratorOptions
	opts.PrefetchValues = false
	opts.Prefix = []byte(pfxIndex)
	it := txn.NewIterator(opts)
	defer it.Close()
	target := []byte(pfxIndex)
	for i, m := range members {
		target = append(target[:len(pfxIndex)], m.id...)
		if i == 0 {
			it.Seek(target)
		}
		for steps := 0; it.Valid() && bytes.Compare(it.Item().Key(), target) < 0; steps++ {
			if steps == seekAfter {
				it.Seek(target)
				break
			}
			it.Next()
		}
		if !it.Valid() || !bytes.Equal(it.Item().Key(), target) {
			return nil, fmt.Errorf("asset %s: summary without record: %w", asset.Clean(m.id), errCorrupt)
		}
		var a *asset.Asset
		err := it.Item().Value(func(v []byte) error {
			var derr error
			a, derr = decodeRecordDoc(v)
			return derr
		})
		if err != nil {
			return nil, fmt.Errorf("asset %s: %w", asset.Clean(m.id), err)
		}
		a.LastSeen = nanosTime(m.lastSeen)
		if err := fn(a); err != nil {
			return err, nil
		}
	}
	return nil, nil
}
