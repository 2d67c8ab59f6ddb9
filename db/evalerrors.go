package db

import (
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/rules"
)

// pfxEvalErr holds the last evaluation's errors, one record per policy
// whose check could not judge some asset: policy id -> rules.PolicyErrors.
const pfxEvalErr = "ee/"

// PutEvalErrors replaces the stored evaluation errors with errs, in one
// transaction: a policy absent from errs has none.
func (s *Store) PutEvalErrors(errs []rules.PolicyErrors) error {
	if err := s.writable(); err != nil {
		return err
	}
	err := s.st.bdb.Update(func(txn *badger.Txn) error {
		var old [][]byte
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.PrefetchValues = []byte(pfxEvalErr), false
		it := txn.NewIterator(opts)
		for it.Seek(opts.Prefix); it.ValidForPrefix(opts.Prefix); it.Next() {
			old = append(old, it.Item().KeyCopy(nil))
		}
		it.Close()
		for _, k := range old {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		for _, pe := range errs {
			raw, err := json.Marshal(pe)
			if err != nil {
				return fmt.Errorf("encode: %w", err)
			}
			if err := txn.Set(key(pfxEvalErr, pe.PolicyID), raw); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store evaluation errors: %w", err)
	}
	return nil
}

// EvalErrors returns the last evaluation's errors, by policy ID.
func (s *Store) EvalErrors() ([]rules.PolicyErrors, error) {
	out, err := collectJSON[rules.PolicyErrors](s, []byte(pfxEvalErr), scanOpts{})
	if err != nil {
		return nil, fmt.Errorf("read evaluation errors: %w", err)
	}
	return out, nil
}

// DropEvalStates forgets the evaluation marks of assets, so the next
// evaluation judges them with every policy again (an asset whose check
// errored must not be skipped as unchanged).
func (s *Store) DropEvalStates(ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.writable(); err != nil {
		return err
	}
	if err := s.dropEvalStates(ids); err != nil {
		return fmt.Errorf("drop evaluation marks: %w", err)
	}
	return nil
}
