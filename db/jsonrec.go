package db

import (
	"fmt"
	json "github.com/goccy/go-json"

	badger "github.com/dgraph-io/badger/v4"
)

// Small records (scans, violations, exceptions, fix and audit records,
// trend points, groups, policy states) are stored as JSON: they are few
// or read rarely, and JSON keeps them inspectable.

// putJSON writes one JSON record.
func (s *Store) putJSON(k []byte, v any) error {
	if err := s.writable(); err != nil {
		return err
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	return s.st.bdb.Update(func(txn *badger.Txn) error { return txn.Set(k, raw) })
}

// getJSON reads one JSON record into v, or returns ErrNotFound.
func (s *Store) getJSON(k []byte, v any) error {
	return s.st.bdb.View(func(txn *badger.Txn) error {
		return getValue(txn, k, func(raw []byte) error { return json.Unmarshal(raw, v) })
	})
}

// scanOpts selects how eachJSON walks a prefix.
type scanOpts struct {
	reverse bool   // newest first for time-keyed records
	from    []byte // start here instead of at the prefix (forward only)
	limit   int    // stop after this many records (0: all)
}

// eachJSON decodes every record under prefix with decode, in key order,
// until decode returns false or the limit is reached.
func (s *Store) eachJSON(prefix []byte, o scanOpts, decode func(k, raw []byte) (bool, error)) error {
	return s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = prefix
		opts.Reverse = o.reverse
		if o.limit > 0 && o.limit < opts.PrefetchSize {
			opts.PrefetchSize = o.limit
		}
		it := txn.NewIterator(opts)
		defer it.Close()
		start := prefix
		switch {
		case o.reverse:
			start = prefixEnd(prefix)
		case o.from != nil:
			start = o.from
		}
		n := 0
		for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			var more bool
			err := item.Value(func(raw []byte) error {
				var derr error
				more, derr = decode(item.Key(), raw)
				return derr
			})
			if err != nil {
				return fmt.Errorf("record %q: %w", printableKey(item.Key()), err)
			}
			n++
			if !more || (o.limit > 0 && n >= o.limit) {
				return nil
			}
		}
		return nil
	})
}

// collectJSON decodes every record under prefix into a slice of T.
func collectJSON[T any](s *Store, prefix []byte, o scanOpts) ([]T, error) {
	var out []T
	err := s.eachJSON(prefix, o, func(_, raw []byte) (bool, error) {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return false, err
		}
		out = append(out, v)
		return true, nil
	})
	return out, err
}
