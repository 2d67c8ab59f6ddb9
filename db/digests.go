package db

import (
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	json "github.com/goccy/go-json"
)

// Digest state keys: what each digest rule has already told its readers.
const (
	pfxDigestSeen = "dg/a/" // rule sep violation id -> DigestSeen JSON
	pfxDigestLast = "dg/l/" // rule -> DigestLast JSON
)

// DigestSeen is what a digest rule announced about one violation.
type DigestSeen struct {
	Opened time.Time `json:"opened,omitzero"` // when its opening was announced
	Closed time.Time `json:"closed,omitzero"` // when its closing was announced
}

// DigestLast is a digest rule's last queued digest: when, the score it
// showed (the next one shows the change) and its message.
type DigestLast struct {
	At        time.Time `json:"at"`
	Overall   int       `json:"overall"`
	MessageID string    `json:"message_id"`
}

// DigestState returns what a rule announced, by violation ID, and its last
// digest (ok false when it never sent one).
func (s *Store) DigestState(rule string) (map[string]DigestSeen, DigestLast, bool, error) {
	seen := map[string]DigestSeen{}
	p := append(key(pfxDigestSeen, rule), sep...)
	err := s.eachJSON(p, scanOpts{}, func(k, raw []byte) (bool, error) {
		var d DigestSeen
		if err := json.Unmarshal(raw, &d); err != nil {
			return false, err
		}
		seen[string(k[len(p):])] = d
		return true, nil
	})
	if err != nil {
		return nil, DigestLast{}, false, fmt.Errorf("read digest state of %s: %w", rule, err)
	}
	last, ok, err := s.LastDigest(rule)
	if err != nil {
		return nil, last, false, err
	}
	return seen, last, ok, nil
}

// LastDigest is a rule's last digest (ok false when it never sent one):
// what the schedule reads every tick, without the announcements.
func (s *Store) LastDigest(rule string) (DigestLast, bool, error) {
	var last DigestLast
	err := s.getJSON(key(pfxDigestLast, rule), &last)
	switch {
	case errors.Is(err, ErrNotFound):
		return last, false, nil
	case err != nil:
		return last, false, fmt.Errorf("read last digest of %s: %w", rule, err)
	}
	return last, true, nil
}

// PutLastDigest records when a batch of digests (the owner digests of a
// group) last went out, so the schedule checks one key, not every owner.
func (s *Store) PutLastDigest(rule string, last DigestLast) error {
	if err := s.putJSON(key(pfxDigestLast, rule), last); err != nil {
		return fmt.Errorf("record digest batch %s: %w", rule, err)
	}
	return nil
}

// QueueDigest writes a digest into the outbox together with what it
// announces, in one transaction: either the message is queued and its
// violations count as announced, or neither — so a violation is never
// announced twice nor lost between two digests. A digest announcing more
// than one transaction holds (tens of thousands of violations) is written
// message first, then its announcements in chunks: a crash in between can
// only make the next digest repeat some, never drop one.
func (s *Store) QueueDigest(m OutboxMessage, rule string, last DigestLast, seen map[string]DigestSeen) error {
	if err := s.writable(); err != nil {
		return err
	}
	head := func(txn *badger.Txn) error {
		if err := putOutbox(txn, &m); err != nil {
			return err
		}
		raw, err := json.Marshal(last)
		if err != nil {
			return err
		}
		return txn.Set(key(pfxDigestLast, rule), raw)
	}
	err := s.st.bdb.Update(func(txn *badger.Txn) error {
		if err := head(txn); err != nil {
			return err
		}
		return putSeen(txn, rule, seen)
	})
	if errors.Is(err, badger.ErrTxnTooBig) {
		err = s.queueDigestChunked(head, rule, seen)
	}
	if err != nil {
		return fmt.Errorf("queue digest %s: %w", rule, err)
	}
	return nil
}

// queueDigestChunked writes the message, then the announcements in as
// many transactions as they need.
func (s *Store) queueDigestChunked(head func(*badger.Txn) error, rule string, seen map[string]DigestSeen) error {
	if err := s.st.bdb.Update(head); err != nil {
		return err
	}
	txn := s.st.bdb.NewTransaction(true)
	defer func() { txn.Discard() }()
	for id, d := range seen {
		raw, err := json.Marshal(d)
		if err != nil {
			return err
		}
		k := key(pfxDigestSeen, rule, id)
		if err := txn.Set(k, raw); errors.Is(err, badger.ErrTxnTooBig) {
			if err := txn.Commit(); err != nil {
				return err
			}
			txn = s.st.bdb.NewTransaction(true)
			if err := txn.Set(k, raw); err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
	}
	return txn.Commit()
}

// putSeen records what a rule announced.
func putSeen(txn *badger.Txn, rule string, seen map[string]DigestSeen) error {
	for id, d := range seen {
		raw, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := txn.Set(key(pfxDigestSeen, rule, id), raw); err != nil {
			return err
		}
	}
	return nil
}
