package db

import (
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
