package db

import (
	"errors"
	"fmt"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// batch is a write transaction that commits and starts afresh before it
// would grow past Badger's limits. Callers reserve room for a group of
// entries first, so entries that must land together (an asset's summary,
// document and index) always share one transaction.
type batch struct {
	db          *badger.DB
	txn         *badger.Txn
	size, count int64
	threshold   int64          // values this long or longer go to the value log
	ents        []badger.Entry // slab the entries of set come from: one allocation per entrySlab
}

// entrySlab is how many entries set allocates at once.
const entrySlab = 1024

func newBatch(db *badger.DB) *batch {
	b := &batch{db: db, threshold: db.Opts().ValueThreshold}
	b.begin()
	return b
}

// txnOverhead is what a new Badger transaction already counts: one entry
// and some bytes for its commit marker ("!badger!txn" plus 10).
const (
	txnOverheadCount = 1
	txnOverheadSize  = 32
)

// begin starts a new transaction with Badger's own accounting.
func (b *batch) begin() {
	b.txn = b.db.NewTransaction(true)
	b.count, b.size = txnOverheadCount, txnOverheadSize
}

// entrySize estimates an entry the way Badger's Txn does.
func (b *batch) entrySize(k, v []byte) int64 {
	n := int64(len(k)) + 2 + 10
	if int64(len(v)) < b.threshold {
		return n + int64(len(v))
	}
	return n + 12
}

// reserve makes room for n entries of the given total estimated size,
// committing what is pending when they would not fit.
func (b *batch) reserve(n int, size int64) error {
	if b.count+int64(n) < b.db.MaxBatchCount() && b.size+size < b.db.MaxBatchSize() {
		b.count += int64(n)
		b.size += size
		return nil
	}
	if b.count == txnOverheadCount {
		return fmt.Errorf("a record of %d bytes is larger than one transaction allows", size)
	}
	if err := b.commit(); err != nil {
		return err
	}
	b.begin()
	return b.reserve(n, size)
}

func (b *batch) set(k, v []byte) error {
	if len(b.ents) == cap(b.ents) {
		b.ents = make([]badger.Entry, 0, entrySlab)
	}
	b.ents = append(b.ents, badger.Entry{Key: k, Value: v})
	if err := b.txn.SetEntry(&b.ents[len(b.ents)-1]); err != nil {
		return fmt.Errorf("write %q: %w", printableKey(k), firstLine(err))
	}
	return nil
}

// firstLine keeps an engine error to its first line: Badger appends a hex
// dump of the value to some errors, and values may hold customer data.
func firstLine(err error) error {
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		return errors.New(msg[:i])
	}
	return err
}

func (b *batch) del(k []byte) error {
	if err := b.txn.Delete(k); err != nil {
		return fmt.Errorf("delete %q: %w", printableKey(k), err)
	}
	return nil
}

// put reserves room for one entry and sets it.
func (b *batch) put(k, v []byte) error {
	if err := b.reserve(1, b.entrySize(k, v)); err != nil {
		return err
	}
	return b.set(k, v)
}

// remove reserves room for one deletion and records it.
func (b *batch) remove(k []byte) error {
	if err := b.reserve(1, b.entrySize(k, nil)); err != nil {
		return err
	}
	return b.del(k)
}

// commit commits what is pending; the batch must not be used afterwards
// except through reserve, which starts a new transaction.
func (b *batch) commit() error {
	if b.txn == nil {
		return nil
	}
	err := b.txn.Commit()
	b.txn = nil
	if err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// discard drops what is pending.
func (b *batch) discard() {
	if b.txn != nil {
		b.txn.Discard()
		b.txn = nil
	}
}

// printableKey renders a key for an error message.
func printableKey(k []byte) string {
	out := make([]byte, 0, len(k))
	for _, c := range k {
		if c < 0x20 || c >= 0x7f {
			c = '/'
		}
		out = append(out, c)
	}
	return string(out)
}
