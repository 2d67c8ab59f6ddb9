package db

import (
	"fmt"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/rules"
)

// Trend points live under t/<group>\0<domain>\0<YYYY-MM-DD>: one key per
// day, so a later point of the same day replaces the earlier one, and a
// group's history in a domain is one ordered key range.

const dayLayout = "2006-01-02"

// PutTrendPoint writes the point for its (group, domain, day), replacing any.
func (s *Store) PutTrendPoint(p rules.TrendPoint) error {
	if _, err := time.Parse(dayLayout, p.Day); err != nil {
		return fmt.Errorf("put trend point for %s: day %q is not YYYY-MM-DD", p.Group, p.Day)
	}
	if strings.Contains(p.Group, sep) || strings.Contains(p.Domain, sep) {
		return fmt.Errorf("put trend point: group and domain may not contain NUL bytes")
	}
	if err := s.putJSON(key(pfxTrend, p.Group, p.Domain, p.Day), p); err != nil {
		return fmt.Errorf("put trend point %s/%s/%s: %w", p.Group, p.Domain, p.Day, err)
	}
	return nil
}

// TrendPoints returns a group's points in a domain since a day, oldest first.
func (s *Store) TrendPoints(group, domain string, since time.Time) ([]rules.TrendPoint, error) {
	prefix := append(key(pfxTrend, group, domain), sep...)
	from := append(append([]byte{}, prefix...), since.UTC().Format(dayLayout)...)
	out, err := collectJSON[rules.TrendPoint](s, prefix, scanOpts{from: from})
	if err != nil {
		return nil, fmt.Errorf("read trend of %s/%s: %w", group, domain, err)
	}
	return out, nil
}

// PruneTrend drops points of days before the cut-off's day (UTC).
func (s *Store) PruneTrend(before time.Time) error {
	if err := s.writable(); err != nil {
		return err
	}
	cut := before.UTC().Format(dayLayout)
	var old [][]byte
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		prefix := []byte(pfxTrend)
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			k := it.Item().Key()
			day := string(k[strings.LastIndexByte(string(k), 0)+1:])
			if day < cut {
				old = append(old, it.Item().KeyCopy(nil))
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("prune trend: %w", err)
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for _, k := range old {
		if err := b.remove(k); err != nil {
			return fmt.Errorf("prune trend: %w", err)
		}
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("prune trend: %w", err)
	}
	return nil
}
