package db

import (
	"errors"
	"fmt"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	json "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/asset"
)

// Outbox keys: every message vigil owes someone (an e-mail digest, a
// webhook event) is written here before it is sent, so a crash or a
// refusing server never loses one.
const (
	pfxOutTime    = "ob/t/" // created (8 bytes) id -> outbox message JSON
	pfxOutID      = "ob/i/" // id -> time key
	pfxOutPending = "ob/p/" // id -> time key, while the message is pending
)

// Outbox message kinds and states.
const (
	OutboxEmail   = "email"
	OutboxWebhook = "webhook"

	OutboxPending = "pending" // to be sent at NextAt
	OutboxSent    = "sent"
	OutboxFailed  = "failed" // refused for good (an SMTP 5xx, retries exhausted)
)

// OutboxMessage is one message vigil owes someone, with its delivery state.
type OutboxMessage struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`       // email | webhook
	Rule      string    `json:"rule"`       // digest rule or webhook URL it was built for
	To        []string  `json:"to"`         // e-mail recipients
	URL       string    `json:"url"`        // webhook target
	SecretEnv string    `json:"secret_env"` // webhook: the variable holding the signing secret (its name only)
	MessageID string    `json:"message_id"` // e-mail Message-ID, kept across retries
	Subject   string    `json:"subject"`    // e-mail subject or event name, for listings
	Body      []byte    `json:"body"`       // the MIME message or the JSON payload, as sent
	Status    string    `json:"status"`
	Attempts  int       `json:"attempts"`
	NextAt    time.Time `json:"next_at"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	SentAt    time.Time `json:"sent_at,omitzero"`
}

// outboxChunk is how many messages one transaction queues: a scan that
// opens thousands of violations queues them in several.
const outboxChunk = 256

// QueueOutbox writes new pending messages, each independent of the others.
func (s *Store) QueueOutbox(msgs []OutboxMessage) error {
	if err := s.writable(); err != nil {
		return err
	}
	for start := 0; start < len(msgs); start += outboxChunk {
		chunk := msgs[start:min(start+outboxChunk, len(msgs))]
		err := s.st.bdb.Update(func(txn *badger.Txn) error {
			for i := range chunk {
				if err := putOutbox(txn, &chunk[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("queue outbox messages %d-%d of %d: %w", start+1, start+len(chunk), len(msgs), err)
		}
	}
	return nil
}

// UpdateOutbox records a delivery attempt's outcome; a message that is no
// longer pending leaves the pending index.
func (s *Store) UpdateOutbox(m *OutboxMessage) error {
	if err := s.writable(); err != nil {
		return err
	}
	err := s.st.bdb.Update(func(txn *badger.Txn) error { return putOutbox(txn, m) })
	if err != nil {
		return fmt.Errorf("update outbox message %s: %w", m.ID, err)
	}
	return nil
}

// putOutbox writes a message and keeps the pending index in step.
func putOutbox(txn *badger.Txn, m *OutboxMessage) error {
	if m.ID == "" {
		return errors.New("outbox message has no ID")
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	tk := timeKey(pfxOutTime, m.CreatedAt, m.ID)
	if err := putTimeKeyed(txn, key(pfxOutID, m.ID), tk, raw); err != nil {
		return err
	}
	if m.Status == OutboxPending {
		return txn.Set(key(pfxOutPending, m.ID), tk)
	}
	return txn.Delete(key(pfxOutPending, m.ID))
}

// OutboxMessage reads one message by ID.
func (s *Store) OutboxMessage(id string) (*OutboxMessage, error) {
	var m OutboxMessage
	if err := s.getTimeKeyed(key(pfxOutID, id), &m); err != nil {
		return nil, fmt.Errorf("outbox message %s: %w", asset.Clean(id), err)
	}
	return &m, nil
}

// Outbox returns messages of a kind ("" all), newest first, at most limit
// (all when 0).
func (s *Store) Outbox(kind string, limit int) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.eachJSON([]byte(pfxOutTime), scanOpts{reverse: true}, func(_, raw []byte) (bool, error) {
		var m OutboxMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			return false, err
		}
		if kind == "" || m.Kind == kind {
			out = append(out, m)
		}
		return limit == 0 || len(out) < limit, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return out, nil
}

// DueOutbox returns the pending messages of a kind whose next attempt is
// at or before now, oldest first.
func (s *Store) DueOutbox(kind string, now time.Time) ([]OutboxMessage, error) {
	var out []OutboxMessage
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix = []byte(pfxOutPending)
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			tk, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			var m OutboxMessage
			if err := getValue(txn, tk, func(raw []byte) error { return json.Unmarshal(raw, &m) }); err != nil {
				return fmt.Errorf("record %q: %w", printableKey(tk), err)
			}
			if (kind == "" || m.Kind == kind) && m.Status == OutboxPending && !m.NextAt.After(now) {
				out = append(out, m)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read pending outbox: %w", err)
	}
	sortOutbox(out)
	return out, nil
}

// sortOutbox orders messages oldest first (IDs are time-ordered).
func sortOutbox(ms []OutboxMessage) {
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].CreatedAt.Before(ms[j-1].CreatedAt); j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
}
