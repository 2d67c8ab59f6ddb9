package db

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/asset"
)

// Scans are keyed by start time (sc/t/) so listing newest first is a reverse
// prefix walk; sc/i/ maps a scan ID to its time key.

// PutScan creates or updates a scan record.
func (s *Store) PutScan(sc *asset.Scan) error {
	if err := s.writable(); err != nil {
		return err
	}
	if sc.ID == "" {
		return errors.New("put scan: scan has no ID")
	}
	raw, err := json.Marshal(sc)
	if err != nil {
		return fmt.Errorf("put scan %s: %w", sc.ID, err)
	}
	tk := timeKey(pfxScanTime, sc.Started, sc.ID)
	err = s.st.bdb.Update(func(txn *badger.Txn) error {
		return putTimeKeyed(txn, key(pfxScanID, sc.ID), tk, raw)
	})
	if err != nil {
		return fmt.Errorf("put scan %s: %w", sc.ID, err)
	}
	return nil
}

// putTimeKeyed writes a time-keyed record and its ID entry, removing the
// record under its old time key when its time changed.
func putTimeKeyed(txn *badger.Txn, idKey, timeKey, raw []byte) error {
	item, err := txn.Get(idKey)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
	case err != nil:
		return err
	default:
		old, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		if string(old) != string(timeKey) {
			if err := txn.Delete(old); err != nil {
				return err
			}
		}
	}
	if err := txn.Set(timeKey, raw); err != nil {
		return err
	}
	return txn.Set(idKey, timeKey)
}

// getTimeKeyed reads a time-keyed record by ID.
func (s *Store) getTimeKeyed(idKey []byte, v any) error {
	return s.st.bdb.View(func(txn *badger.Txn) error {
		var tk []byte
		err := getValue(txn, idKey, func(b []byte) error {
			tk = append([]byte{}, b...)
			return nil
		})
		if err != nil {
			return err
		}
		return getValue(txn, tk, func(raw []byte) error { return json.Unmarshal(raw, v) })
	})
}

// Scans returns the newest scans first, at most limit (all when 0).
func (s *Store) Scans(limit int) ([]asset.Scan, error) {
	out, err := collectJSON[asset.Scan](s, []byte(pfxScanTime), scanOpts{reverse: true, limit: limit})
	if err != nil {
		return nil, fmt.Errorf("read scans: %w", err)
	}
	return out, nil
}

// Scan reads one scan record.
func (s *Store) Scan(id string) (*asset.Scan, error) {
	var sc asset.Scan
	if err := s.getTimeKeyed(key(pfxScanID, id), &sc); err != nil {
		return nil, fmt.Errorf("scan %s: %w", asset.Clean(id), err)
	}
	return &sc, nil
}

// LastScan returns the newest scan, or ErrNotFound.
func (s *Store) LastScan() (*asset.Scan, error) {
	scans, err := s.Scans(1)
	if err != nil {
		return nil, err
	}
	if len(scans) == 0 {
		return nil, fmt.Errorf("last scan: %w", ErrNotFound)
	}
	return &scans[0], nil
}

// abortRunningScans marks scans left running by a process that died as
// aborted. What their completed units wrote stays as it is; the next cycle
// re-runs evaluation and lifecycle over it (NeedsRecovery).
func (s *Store) abortRunningScans() error {
	all, err := s.Scans(0)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	marked := false
	for i := range all {
		sc := &all[i]
		if sc.Status != asset.ScanRunning {
			continue
		}
		if !marked { // before the scan reads as aborted: see keyRecover
			if err := s.markRecovery(); err != nil {
				return fmt.Errorf("mark interrupted scan %s for recovery: %w", sc.ID, err)
			}
			marked = true
		}
		sc.Status = asset.ScanAborted
		if sc.Finished.IsZero() {
			sc.Finished = now
		}
		if err := s.PutScan(sc); err != nil {
			return fmt.Errorf("mark interrupted scan %s aborted: %w", sc.ID, err)
		}
	}
	return nil
}
