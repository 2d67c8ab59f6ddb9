package db

import (
	"errors"
	"fmt"
	json "github.com/goccy/go-json"
	"slices"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// Violations live under v/r/<id>; v/p/<policy>\0<id> and v/a/<asset>\0<id>
// index them for the filters. A violation's policy and asset never change
// (its ID is their hash), so index entries are only ever added. v/l/<id>
// holds the compact row of an open or exempt one (violations_live.go).

// PutViolations upserts violations.
func (s *Store) PutViolations(vs []rules.Violation) error {
	if err := s.writable(); err != nil {
		return err
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for i := range vs {
		v := &vs[i]
		if v.ID == "" {
			return fmt.Errorf("put violations: violation of %s on %s has no ID", v.PolicyID, asset.Clean(v.AssetID))
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("put violation %s: %w", v.ID, err)
		}
		rk := key(pfxViolation, v.ID)
		pk := key(pfxVioPolicy, v.PolicyID, v.ID)
		ak := key(pfxVioAsset, v.AssetID, v.ID)
		lk, lv := liveRow(v)
		if err := b.reserve(4, b.entrySize(rk, raw)+b.entrySize(pk, nil)+b.entrySize(ak, nil)+b.entrySize(lk, lv)); err != nil {
			return fmt.Errorf("put violations: %w", err)
		}
		for _, kv := range [][2][]byte{{rk, raw}, {pk, nil}, {ak, nil}} {
			if err := b.set(kv[0], kv[1]); err != nil {
				return fmt.Errorf("put violations: %w", err)
			}
		}
		if err := setLiveRow(b, lk, lv); err != nil {
			return fmt.Errorf("put violations: %w", err)
		}
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("put violations: %w", err)
	}
	return nil
}

// Violation reads one violation.
func (s *Store) Violation(id string) (*rules.Violation, error) {
	var v rules.Violation
	if err := s.getJSON(key(pfxViolation, id), &v); err != nil {
		return nil, fmt.Errorf("violation %s: %w", asset.Clean(id), err)
	}
	return &v, nil
}

// Violations returns the violations the filter selects, in ID order (by
// policy or asset first when the filter names one).
func (s *Store) Violations(f ViolationFilter) ([]rules.Violation, error) {
	match := func(v *rules.Violation) bool {
		return (f.PolicyID == "" || v.PolicyID == f.PolicyID) &&
			(f.AssetID == "" || v.AssetID == f.AssetID) &&
			(len(f.Status) == 0 || slices.Contains(f.Status, v.Status))
	}
	var out []rules.Violation
	var idx []byte
	switch {
	case f.AssetID != "":
		idx = append(key(pfxVioAsset, f.AssetID), sep...)
	case f.PolicyID != "":
		idx = append(key(pfxVioPolicy, f.PolicyID), sep...)
	default:
		err := s.eachJSON([]byte(pfxViolation), scanOpts{}, func(_, raw []byte) (bool, error) {
			var v rules.Violation
			if err := json.Unmarshal(raw, &v); err != nil {
				return false, err
			}
			if match(&v) {
				out = append(out, v)
			}
			return true, nil
		})
		if err != nil {
			return nil, fmt.Errorf("read violations: %w", err)
		}
		return out, nil
	}
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = idx
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(idx); it.ValidForPrefix(idx); it.Next() {
			id := it.Item().Key()[len(idx):]
			var v rules.Violation
			err := getValue(txn, key(pfxViolation, string(id)), func(raw []byte) error {
				return json.Unmarshal(raw, &v)
			})
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return fmt.Errorf("violation %s: %w", id, err)
			}
			if match(&v) {
				out = append(out, v)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read violations: %w", err)
	}
	return out, nil
}

// PutException creates or updates an exception.
func (s *Store) PutException(e *rules.Exception) error {
	if e.ID == "" {
		return errors.New("put exception: exception has no ID")
	}
	if err := s.putJSON(key(pfxException, e.ID), e); err != nil {
		return fmt.Errorf("put exception %s: %w", e.ID, err)
	}
	return nil
}

// Exceptions returns every exception, revoked and expired ones included.
func (s *Store) Exceptions() ([]rules.Exception, error) {
	out, err := collectJSON[rules.Exception](s, []byte(pfxException), scanOpts{})
	if err != nil {
		return nil, fmt.Errorf("read exceptions: %w", err)
	}
	return out, nil
}
