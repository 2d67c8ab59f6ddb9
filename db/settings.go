package db

import (
	"encoding/binary"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// PutGroup stores a user-defined group.
func (s *Store) PutGroup(g groups.Group) error {
	if g.Name == "" {
		return errors.New("put group: group has no name")
	}
	if err := s.putJSON(key(pfxGroup, g.Name), g); err != nil {
		return fmt.Errorf("put group %s: %w", g.Name, err)
	}
	return nil
}

// DeleteGroup removes a stored group.
func (s *Store) DeleteGroup(name string) error {
	if err := s.writable(); err != nil {
		return err
	}
	err := s.st.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(key(pfxGroup, name)) })
	if err != nil {
		return fmt.Errorf("delete group %s: %w", name, err)
	}
	return nil
}

// Groups returns the stored groups, by name.
func (s *Store) Groups() ([]groups.Group, error) {
	out, err := collectJSON[groups.Group](s, []byte(pfxGroup), scanOpts{})
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	return out, nil
}

// PutPolicyState stores an operator's override of a policy.
func (s *Store) PutPolicyState(st rules.PolicyState) error {
	if st.PolicyID == "" {
		return errors.New("put policy state: no policy ID")
	}
	if err := s.putJSON(key(pfxPolicy, st.PolicyID), st); err != nil {
		return fmt.Errorf("put policy state %s: %w", st.PolicyID, err)
	}
	return nil
}

// PolicyStates returns every stored policy override by policy ID.
func (s *Store) PolicyStates() (map[string]rules.PolicyState, error) {
	list, err := collectJSON[rules.PolicyState](s, []byte(pfxPolicy), scanOpts{})
	if err != nil {
		return nil, fmt.Errorf("read policy states: %w", err)
	}
	out := make(map[string]rules.PolicyState, len(list))
	for _, st := range list {
		out[st.PolicyID] = st
	}
	return out, nil
}

// EvalStates returns the stored evaluation marks (asset ID -> the hash of the
// document and policy set it was last judged with) for incremental evaluation.
func (s *Store) EvalStates() (map[string]uint64, error) {
	prefix := []byte(pfxEval)
	out := make(map[string]uint64)
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.PrefetchValues = false
		opts.Prefix = prefix
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
			item := it.Item()
			err := item.Value(func(v []byte) error {
				if len(v) != 8 {
					return errCorrupt
				}
				out[string(item.Key()[len(prefix):])] = binary.BigEndian.Uint64(v)
				return nil
			})
			if err != nil {
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

// PutEvalStates stores evaluation marks.
func (s *Store) PutEvalStates(m map[string]uint64) error {
	if err := s.writable(); err != nil {
		return err
	}
	b := newBatch(s.st.bdb)
	defer b.discard()
	for id, h := range m {
		if err := b.put(evalKey(id), binary.BigEndian.AppendUint64(nil, h)); err != nil {
			return fmt.Errorf("put evaluation marks: %w", err)
		}
	}
	if err := b.commit(); err != nil {
		return fmt.Errorf("put evaluation marks: %w", err)
	}
	return nil
}
