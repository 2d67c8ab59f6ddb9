package db

import (
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// An asset is two entries: its summary, keyed by location (type, account,
// region, ID) and kept in the LSM tree, and its ID record (a/i/<id>): the
// index fields followed by the full document, mostly in the value log.

// strCopy reads a string as its own copy (for decoders without a shared
// source string, which read a few fields of a large value).
func (d *dec) strCopy() string {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.off) {
		d.fail()
		return ""
	}
	s := string(d.b[d.off : d.off+int(n)])
	d.off += int(n)
	return s
}

// readIndex reads the head of an asset's ID record inside a transaction.
func readIndex(txn *badger.Txn, ik []byte) (indexEntry, bool, error) {
	item, err := txn.Get(ik)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return indexEntry{}, false, nil
	}
	if err != nil {
		return indexEntry{}, false, fmt.Errorf("read asset index: %w", err)
	}
	var ie indexEntry
	err = item.Value(func(v []byte) error {
		var derr error
		ie, _, derr = decodeIndex(v, assetV2)
		return derr
	})
	return ie, err == nil, err
}
