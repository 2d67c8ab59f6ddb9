package db

import (
	"encoding/binary"
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

// readStored learns what is stored of the asset with ID record key ik whose
// summary, if it has not moved, is at sk (account, typ and region being
// the asset's location now). It reads the small summary first, the common
// case of a rescan, and the ID record only when there is no summary there:
// the asset is new or has moved.
func readStored(txn *badger.Txn, sk, ik []byte, account, typ, region string) (indexEntry, bool, error) {
	item, err := txn.Get(sk)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return readIndex(txn, ik)
	}
	if err != nil {
		return indexEntry{}, false, fmt.Errorf("read asset summary: %w", err)
	}
	ie := indexEntry{account: account, typ: typ, region: region}
	err = item.Value(func(v []byte) error {
		var herr error
		ie.firstSeen, ie.hash, ie.source, herr = summaryHead(v)
		return herr
	})
	return ie, err == nil, err
}

// summaryHead reads FirstSeen, Hash and Source of an encoded summary
// (see encodeSummary) without decoding the rest.
func summaryHead(v []byte) (firstSeen int64, hash uint64, source string, err error) {
	if len(v) < 25 || v[0] != summaryV1 {
		return 0, 0, "", fmt.Errorf("asset summary: %w", errCorrupt)
	}
	firstSeen = int64(binary.BigEndian.Uint64(v[firstSeenAt:]))
	hash = binary.BigEndian.Uint64(v[25-8:])
	d := dec{b: v, off: 25}
	for range 5 { // ID, Type, Name, Account, Region
		n := d.uvarint()
		if n > uint64(len(d.b)-d.off) {
			d.fail()
			break
		}
		d.off += int(n)
	}
	source = d.strCopy()
	if d.err != nil {
		return 0, 0, "", fmt.Errorf("asset summary: %w", d.err)
	}
	return firstSeen, hash, source, nil
}
