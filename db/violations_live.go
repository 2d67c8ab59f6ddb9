package db

import (
	"bytes"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/rules"
)

// The live index keeps every open or exempt violation once more under
// v/l/<id>, in a compact binary row without its history. The console's
// first frame reads only these rows: a prefix scan of short values and a
// decode with one allocation per row, instead of decoding every
// violation's JSON (closed ones and histories included). PutViolations
// keeps the index in step; keyLiveIndex marks a store whose index is
// complete (stores written before the index get it built when opened for
// writing).
const (
	pfxVioLive   = "v/l/"            // id -> live row (open and exempt only)
	keyLiveIndex = "meta/v-live-idx" // present when v/l/ is complete
	liveRowV1    = byte(1)           // first byte of a live row: its layout
)

// isLive reports whether a violation belongs in the live index.
func isLive(v *rules.Violation) bool {
	return v.Status == rules.StatusOpen || v.Status == rules.StatusExempt
}

// encodeLiveRow appends the live row of a violation to b.
func encodeLiveRow(b []byte, v *rules.Violation) []byte {
	e := enc{b: b}
	e.byte1(liveRowV1)
	for _, s := range [...]string{v.ID, v.PolicyID, v.AssetID, v.AssetType, v.AssetName,
		v.Account, v.Region, v.Severity, v.Category, v.Status, v.Message, v.Reason, v.ExceptionID} {
		e.str(s)
	}
	e.time(v.OpenedAt)
	e.time(v.UpdatedAt)
	if v.ClosedAt != nil {
		e.byte1(1)
		e.time(*v.ClosedAt)
	} else {
		e.byte1(0)
	}
	return e.b
}

// liveDecoder decodes live rows compactly, for the 440k a console may hold
// at 1M assets: a row's ID, asset ID, asset name (unless it ends the asset
// ID: then it is that part), message, reason and exception ID share one
// new string, and the low-cardinality fields
// (policy, asset type, account, region, severity, category, status) are
// interned, so a decoded row costs one allocation. One decoder serves one
// goroutine.
type liveDecoder struct {
	buf    []byte
	fields [7]interner // policy, asset type, account, region, severity, category, status
}

// decode reads a live row into v (History stays nil).
func (ld *liveDecoder) decode(raw []byte, v *rules.Violation) error {
	d := dec{b: raw}
	if d.byte1() != liveRowV1 {
		return fmt.Errorf("live violation row: unknown layout: %w", errCorrupt)
	}
	id, pol, aid, typ, name := d.raw(), d.raw(), d.raw(), d.raw(), d.raw()
	acct, reg, sev, cat, st := d.raw(), d.raw(), d.raw(), d.raw(), d.raw()
	msg, reason, exc := d.raw(), d.raw(), d.raw()
	v.OpenedAt = d.time()
	v.UpdatedAt = d.time()
	v.ClosedAt = nil
	if d.byte1() == 1 {
		t := d.time()
		v.ClosedAt = &t
	}
	if d.err != nil || d.off != len(raw) {
		return fmt.Errorf("live violation row: %w", errCorrupt)
	}
	f := &ld.fields
	v.PolicyID, v.AssetType, v.Account, v.Region = f[0].str(pol), f[1].str(typ), f[2].str(acct), f[3].str(reg)
	v.Severity, v.Category, v.Status = f[4].str(sev), f[5].str(cat), f[6].str(st)
	nameLen := len(name)
	nameInID := nameLen > 0 && bytes.HasSuffix(aid, name)
	if nameInID {
		name = nil // the asset ID's tail, below
	}
	own := [...][]byte{id, aid, name, msg, reason, exc}
	ld.buf = ld.buf[:0]
	for _, f := range own {
		ld.buf = append(ld.buf, f...)
	}
	all, off := string(ld.buf), 0
	for i, p := range [...]*string{&v.ID, &v.AssetID, &v.AssetName, &v.Message, &v.Reason, &v.ExceptionID} {
		*p = ""
		if n := len(own[i]); n > 0 {
			*p, off = all[off:off+n], off+n
		}
	}
	if nameInID {
		v.AssetName = v.AssetID[len(v.AssetID)-nameLen:]
	}
	return nil
}

// liveRow is the key of a violation's live row and the row, nil when the
// violation is closed and the row must go.
func liveRow(v *rules.Violation) (k, row []byte) {
	k = key(pfxVioLive, v.ID)
	if isLive(v) {
		row = encodeLiveRow(nil, v)
	}
	return k, row
}

// setLiveRow writes a live row, or deletes it when row is nil (the caller
// has reserved room for one entry).
func setLiveRow(b *batch, k, row []byte) error {
	if row == nil {
		return b.del(k)
	}
	return b.set(k, row)
}

// LiveViolations returns every open and exempt violation without its
// history, in ID order — what the console's lists and scores need. Read
// one violation with Violation for its history. A read-only store
// written before the live index existed is answered from the full
// records.
func (s *Store) LiveViolations() ([]rules.Violation, error) {
	ok, err := s.hasLiveIndex()
	if err != nil {
		return nil, err
	}
	if !ok {
		vs, err := s.Violations(ViolationFilter{Status: []string{rules.StatusOpen, rules.StatusExempt}})
		for i := range vs {
			vs[i].History = nil
		}
		return vs, err
	}
	var out []rules.Violation
	var ld liveDecoder
	err = s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(pfxVioLive)
		opts.PrefetchValues = false // rows are small and inline: read in place, no copy
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(opts.Prefix); it.ValidForPrefix(opts.Prefix); it.Next() {
			item := it.Item()
			out = append(out, rules.Violation{})
			err := item.Value(func(raw []byte) error { return ld.decode(raw, &out[len(out)-1]) })
			if err != nil {
				return fmt.Errorf("record %q: %w", printableKey(item.Key()), err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read live violations: %w", err)
	}
	return out, nil
}

func (s *Store) hasLiveIndex() (bool, error) {
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		_, err := txn.Get([]byte(keyLiveIndex))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("read live violation index marker: %w", err)
	}
	return true, nil
}

// ensureLiveIndex builds the live index of a store written before it
// existed (once, when opened for writing), then marks it complete.
func (s *Store) ensureLiveIndex() error {
	ok, err := s.hasLiveIndex()
	if err != nil || ok {
		return err
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	err = s.eachJSON([]byte(pfxViolation), scanOpts{}, func(_, raw []byte) (bool, error) {
		var v rules.Violation
		if err := json.Unmarshal(raw, &v); err != nil {
			return false, err
		}
		if !isLive(&v) {
			return true, nil
		}
		return true, b.put(key(pfxVioLive, v.ID), encodeLiveRow(nil, &v))
	})
	if err == nil {
		err = b.put([]byte(keyLiveIndex), []byte{1})
	}
	if err == nil {
		err = b.commit()
	}
	if err != nil {
		return fmt.Errorf("build live violation index: %w", err)
	}
	return nil
}
