package db

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// PutFixRecord appends or updates a fix audit record. Records are keyed by
// their time (f/t/), so listing newest first is a reverse prefix walk.
func (s *Store) PutFixRecord(r *fix.Record) error {
	if err := s.writable(); err != nil {
		return err
	}
	if r.ID == "" {
		return errors.New("put fix record: record has no ID")
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("put fix record %s: %w", r.ID, err)
	}
	tk := timeKey(pfxFixTime, r.At, r.ID)
	err = s.st.bdb.Update(func(txn *badger.Txn) error {
		return putTimeKeyed(txn, key(pfxFixID, r.ID), tk, raw)
	})
	if err != nil {
		return fmt.Errorf("put fix record %s: %w", r.ID, err)
	}
	return nil
}

// FixRecord reads one fix record.
func (s *Store) FixRecord(id string) (*fix.Record, error) {
	var r fix.Record
	if err := s.getTimeKeyed(key(pfxFixID, id), &r); err != nil {
		return nil, fmt.Errorf("fix record %s: %w", asset.Clean(id), err)
	}
	return &r, nil
}

// FixRecords returns the audit records, newest first, at most limit (all when 0).
func (s *Store) FixRecords(limit int) ([]fix.Record, error) {
	out, err := collectJSON[fix.Record](s, []byte(pfxFixTime), scanOpts{reverse: true, limit: limit})
	if err != nil {
		return nil, fmt.Errorf("read fix records: %w", err)
	}
	return out, nil
}

// AppendAudit appends a free-form audit event (policy toggles, exceptions,
// group edits): who, what, when. Events at the same instant keep the order
// they were appended in.
func (s *Store) AppendAudit(e AuditEvent) error {
	if err := s.writable(); err != nil {
		return err
	}
	seq := make([]byte, 0, 8)
	seq = binary.BigEndian.AppendUint64(seq, s.st.auditSeq.Add(1))
	if err := s.putJSON(timeKey(pfxAudit, e.At, string(seq)), e); err != nil {
		return fmt.Errorf("append audit event %s: %w", e.Action, err)
	}
	return nil
}

// Audit returns audit events newest first, at most limit (all when 0).
func (s *Store) Audit(limit int) ([]AuditEvent, error) {
	out, err := collectJSON[AuditEvent](s, []byte(pfxAudit), scanOpts{reverse: true, limit: limit})
	if err != nil {
		return nil, fmt.Errorf("read audit events: %w", err)
	}
	return out, nil
}
