// Package db is vigil's embedded store on Badger: it owns keys, encodings,
// the schema version, indexes and trend points. Nothing below it imports db.
package db

import (
	"errors"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = errors.New("not found")

// errTODO marks API that is not implemented yet.
var errTODO = errors.New("db: not implemented yet")

// Options tunes how a store is opened.
type Options struct {
	ReadOnly bool // review a copied store: no writes, no lock taken
	InMemory bool // tests and benchmarks only
}

// Store is an open vigil store. It is safe for concurrent use.
type Store struct {
	dir string
}

// ViolationFilter selects violations; empty fields match everything.
type ViolationFilter struct {
	PolicyID string
	AssetID  string
	Status   []string // any of
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) { return nil, errTODO }

// Close flushes and closes the store.
func (s *Store) Close() error { return errTODO }

// Dir is the directory the store lives in.
func (s *Store) Dir() string { return s.dir }

// PutAssets upserts assets (document + summary in one transaction each),
// keeping FirstSeen of assets already stored.
func (s *Store) PutAssets(assets []asset.Asset) error { return errTODO }

// CompleteUnit records that a unit finished listing: assets are upserted and
// every stored asset the unit contains (asset.UnitKey.Contains) but that is
// not in assets is deleted. It returns the summaries of the deleted assets.
func (s *Store) CompleteUnit(unit asset.UnitKey, assets []asset.Asset) ([]asset.Summary, error) {
	return nil, errTODO
}

// DeleteAssets removes assets and their summaries.
func (s *Store) DeleteAssets(ids []string) error { return errTODO }

// Summaries calls fn for every asset summary until fn returns false.
func (s *Store) Summaries(fn func(*asset.Summary) bool) error { return errTODO }

// AllSummaries loads every summary into memory.
func (s *Store) AllSummaries() ([]asset.Summary, error) { return nil, errTODO }

// Summary reads one summary.
func (s *Store) Summary(id string) (asset.Summary, error) { return asset.Summary{}, errTODO }

// Asset reads one full asset document.
func (s *Store) Asset(id string) (*asset.Asset, error) { return nil, errTODO }

// AssetsOfType calls fn for every full asset of one type.
func (s *Store) AssetsOfType(typ string, fn func(*asset.Asset) error) error { return errTODO }

// CountAssets returns the number of stored assets.
func (s *Store) CountAssets() (int, error) { return 0, errTODO }

// PutScan creates or updates a scan record.
func (s *Store) PutScan(sc *asset.Scan) error { return errTODO }

// Scans returns the newest scans first, at most limit (all when 0).
func (s *Store) Scans(limit int) ([]asset.Scan, error) { return nil, errTODO }

// Scan reads one scan record.
func (s *Store) Scan(id string) (*asset.Scan, error) { return nil, errTODO }

// LastScan returns the newest scan, or ErrNotFound.
func (s *Store) LastScan() (*asset.Scan, error) { return nil, errTODO }

// PutViolations upserts violations.
func (s *Store) PutViolations(vs []rules.Violation) error { return errTODO }

// Violation reads one violation.
func (s *Store) Violation(id string) (*rules.Violation, error) { return nil, errTODO }

// Violations returns the violations the filter selects.
func (s *Store) Violations(f ViolationFilter) ([]rules.Violation, error) { return nil, errTODO }

// PutException creates or updates an exception.
func (s *Store) PutException(e *rules.Exception) error { return errTODO }

// Exceptions returns every exception, revoked and expired ones included.
func (s *Store) Exceptions() ([]rules.Exception, error) { return nil, errTODO }

// PutFixRecord appends or updates a fix audit record.
func (s *Store) PutFixRecord(r *fix.Record) error { return errTODO }

// FixRecord reads one fix record.
func (s *Store) FixRecord(id string) (*fix.Record, error) { return nil, errTODO }

// FixRecords returns the audit records, newest first, at most limit (all when 0).
func (s *Store) FixRecords(limit int) ([]fix.Record, error) { return nil, errTODO }

// PutTrendPoint writes the point for its (group, domain, day), replacing any.
func (s *Store) PutTrendPoint(p rules.TrendPoint) error { return errTODO }

// TrendPoints returns a group's points in a domain since a day, oldest first.
func (s *Store) TrendPoints(group, domain string, since time.Time) ([]rules.TrendPoint, error) {
	return nil, errTODO
}

// PruneTrend drops points older than the cut-off.
func (s *Store) PruneTrend(before time.Time) error { return errTODO }

// PutGroup stores a user-defined group.
func (s *Store) PutGroup(g groups.Group) error { return errTODO }

// DeleteGroup removes a stored group.
func (s *Store) DeleteGroup(name string) error { return errTODO }

// Groups returns the stored groups.
func (s *Store) Groups() ([]groups.Group, error) { return nil, errTODO }

// PutPolicyState stores an operator's override of a policy.
func (s *Store) PutPolicyState(st rules.PolicyState) error { return errTODO }

// PolicyStates returns every stored policy override by policy ID.
func (s *Store) PolicyStates() (map[string]rules.PolicyState, error) { return nil, errTODO }

// EvalStates returns the stored evaluation marks (asset ID -> the hash of the
// document and policy set it was last judged with) for incremental evaluation.
func (s *Store) EvalStates() (map[string]uint64, error) { return nil, errTODO }

// PutEvalStates stores evaluation marks.
func (s *Store) PutEvalStates(m map[string]uint64) error { return errTODO }

// AppendAudit appends a free-form audit event (policy toggles, exceptions,
// group edits): who, what, when.
func (s *Store) AppendAudit(e AuditEvent) error { return errTODO }

// Audit returns audit events newest first, at most limit (all when 0).
func (s *Store) Audit(limit int) ([]AuditEvent, error) { return nil, errTODO }

// AuditEvent is one audited operator action other than a fix.
type AuditEvent struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Action string    `json:"action"` // "policy.disable", "exception.add", ...
	Target string    `json:"target"`
	Detail string    `json:"detail,omitempty"`
}
