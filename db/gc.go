package db

import (
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// gcRounds bounds one CollectGarbage call: each round rewrites at most one
// value-log file.
const gcRounds = 8

// CollectGarbage reclaims value-log space held by documents that were
// replaced or deleted. The cycle calls it after a scan; it is safe to call
// while the store is in use and returns nil when there is nothing to do.
func (s *Store) CollectGarbage() error {
	if err := s.writable(); err != nil {
		return err
	}
	if s.dir == "" {
		return nil // in memory: no value log
	}
	for range gcRounds {
		err := s.st.bdb.RunValueLogGC(0.5)
		if errors.Is(err, badger.ErrNoRewrite) || errors.Is(err, badger.ErrRejected) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("collect garbage in %s: %w", s.dir, err)
		}
	}
	return s.securePerms()
}
