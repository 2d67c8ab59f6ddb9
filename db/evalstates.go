package db

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"

	badger "github.com/dgraph-io/badger/v4"
)

// Evaluation marks are many (one per asset) and always read and written in
// bulk, so they are kept in evalBuckets blobs under e/<bucket>, each holding
// the marks of the asset IDs that hash to it: a million marks are a
// thousand values, not a million.

const evalBuckets = 1024

func evalBucket(id string) uint16 {
	h := fnv.New32a()
	h.Write([]byte(id))
	return uint16(h.Sum32() % evalBuckets)
}

func evalBucketKey(b uint16) []byte {
	return binary.BigEndian.AppendUint16([]byte(pfxEval), b)
}

func encodeMarks(m map[string]uint64) []byte {
	e := enc{b: make([]byte, 0, len(m)*72)}
	e.uvarint(uint64(len(m)))
	for id, h := range m {
		e.str(id)
		e.fixed64(h)
	}
	return e.b
}

// decodeMarks adds the marks in a blob to into.
func decodeMarks(b []byte, into map[string]uint64) error {
	d := newDec(b)
	n := d.uvarint()
	for i := uint64(0); i < n && d.err == nil; i++ {
		id := d.str()
		into[id] = d.fixed64()
	}
	if d.err != nil {
		return fmt.Errorf("evaluation marks: %w", d.err)
	}
	return nil
}

// EvalStates returns the stored evaluation marks (asset ID -> the hash of the
// document and policy set it was last judged with) for incremental evaluation.
func (s *Store) EvalStates() (map[string]uint64, error) {
	out := make(map[string]uint64)
	prefix := []byte(pfxEval)
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			if err := it.Item().Value(func(v []byte) error { return decodeMarks(v, out) }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read evaluation marks: %w", err)
	}
	return out, nil
}

// PutEvalStates stores evaluation marks, adding to or replacing the marks
// already stored.
func (s *Store) PutEvalStates(m map[string]uint64) error {
	if err := s.writable(); err != nil {
		return err
	}
	byBucket := map[uint16][]string{}
	for id := range m {
		b := evalBucket(id)
		byBucket[b] = append(byBucket[b], id)
	}
	err := s.updateMarks(byBucket, func(marks map[string]uint64, ids []string) {
		for _, id := range ids {
			marks[id] = m[id]
		}
	})
	if err != nil {
		return fmt.Errorf("put evaluation marks: %w", err)
	}
	return nil
}

// dropEvalStates removes the marks of deleted assets.
func (s *Store) dropEvalStates(ids []string) error {
	byBucket := map[uint16][]string{}
	for _, id := range ids {
		b := evalBucket(id)
		byBucket[b] = append(byBucket[b], id)
	}
	return s.updateMarks(byBucket, func(marks map[string]uint64, ids []string) {
		for _, id := range ids {
			delete(marks, id)
		}
	})
}

// updateMarks rewrites the touched buckets: read, change, write. Bucket
// updates are serialised so concurrent callers do not lose each other's
// marks.
func (s *Store) updateMarks(byBucket map[uint16][]string, change func(map[string]uint64, []string)) error {
	if len(byBucket) == 0 {
		return nil
	}
	s.st.evalMu.Lock()
	defer s.st.evalMu.Unlock()
	blobs := make(map[uint16][]byte, len(byBucket))
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		for b, ids := range byBucket {
			marks := map[string]uint64{}
			err := getValue(txn, evalBucketKey(b), func(v []byte) error { return decodeMarks(v, marks) })
			if err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
			change(marks, ids)
			blobs[b] = encodeMarks(marks)
		}
		return nil
	})
	if err != nil {
		return err
	}
	wb := newBatch(s.st.bdb)
	defer wb.discard()
	for b, blob := range blobs {
		if err := wb.put(evalBucketKey(b), blob); err != nil {
			return err
		}
	}
	return wb.commit()
}
