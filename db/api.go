// Package db is vigil's embedded store on Badger: it owns keys, encodings,
// the schema version, indexes and trend points. Nothing below it imports db.
package db

import (
	"errors"
	"log/slog"
	"time"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// Options tunes how a store is opened.
type Options struct {
	ReadOnly bool // review a copied store: no writes (takes a shared lock, see Open)
	InMemory bool // tests and benchmarks only
	// Logger receives the storage engine's warnings and errors; nil drops
	// them. The engine never writes to the terminal.
	Logger *slog.Logger

	memTableSize int64 // tests: small memtables make many tables quickly
}

// Store is an open vigil store. It is safe for concurrent use.
type Store struct {
	dir    string
	st     *storeState
	shared bool // a handle from Shared: Close leaves the store open
}

// ViolationFilter selects violations; empty fields match everything.
type ViolationFilter struct {
	PolicyID string
	AssetID  string
	Status   []string // any of
}

// Dir is the directory the store lives in ("" for an in-memory store).
func (s *Store) Dir() string { return s.dir }

// AuditEvent is one audited operator action other than a fix.
type AuditEvent struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // "policy.disable", "exception.add", ...
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}
