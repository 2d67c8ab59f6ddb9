// Package tui is vigil's Bubble Tea console: a root model with a page stack,
// small components, keymaps as data and styles from a per-session renderer.
package tui

import (
	"context"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// Backend is everything the console reads and does. The console never talks
// to AWS or Badger itself; cycle.Backend implements this over the store, the
// rules and the fixes. Methods may block (call them from tea.Cmds).
type Backend interface {
	// User is who this session acts as (audit records carry it).
	User() string
	// ReadOnly sessions have no fix, exception, edit or scan actions.
	ReadOnly() bool

	// Groups lists built-in, config and stored groups.
	Groups() ([]groups.Group, error)
	// GroupCount counts the members of a group definition (live preview while editing).
	GroupCount(g groups.Group) (int, error)
	// SaveGroup creates or replaces a stored group.
	SaveGroup(g groups.Group) error
	// DeleteGroup removes a stored group.
	DeleteGroup(name string) error

	// Summaries returns the members of a group.
	Summaries(group string) ([]asset.Summary, error)
	// Asset reads one full asset.
	Asset(id string) (*asset.Asset, error)
	// Related returns the assets an asset refers to or that refer to it
	// (security groups, volumes, instances, vulnerabilities).
	Related(id string) ([]asset.Summary, error)

	// Policies lists every loaded policy with the operator's overrides applied.
	Policies() []rules.Policy
	// SetPolicyDisabled enables or disables a policy (audited; closes or
	// re-judges its violations at once).
	SetPolicyDisabled(id string, disabled bool) error
	// SetPolicyAutofix toggles a policy's unattended fix (audited).
	SetPolicyAutofix(id string, on bool) error

	// Scores computes compliance of a group in a domain ("" = cloud).
	Scores(group, domain string) (rules.Scores, error)
	// Trend returns a group's daily points since a time, oldest first.
	Trend(group, domain string, since time.Time) ([]rules.TrendPoint, error)
	// Violations lists the violations of a group's assets.
	Violations(group string, f db.ViolationFilter) ([]rules.Violation, error)
	// Violation reads one violation with its history.
	Violation(id string) (*rules.Violation, error)

	// Exceptions lists every exception.
	Exceptions() ([]rules.Exception, error)
	// AddException stores an exception (ID, author and created are filled in)
	// and applies it at once; it returns the stored exception.
	AddException(e rules.Exception) (rules.Exception, error)
	// RevokeException ends an exception; its violations re-open at once.
	RevokeException(id string) error

	// Scans lists past scans, newest first.
	Scans(limit int) ([]asset.Scan, error)
	// LastScanAt is when the last scan finished (zero when never).
	LastScanAt() time.Time
	// RunCycle runs a scan cycle, reporting progress through fn.
	RunCycle(ctx context.Context, fn func(cycle.Progress)) (*cycle.Result, error)

	// FixRecords lists fix audit records, newest first.
	FixRecords(limit int) ([]fix.Record, error)
	// PlanFix computes the fix plan of a violation without changing anything.
	PlanFix(ctx context.Context, violationID string) (*fix.Plan, error)
	// ApplyFix applies a confirmed plan, verifies it and returns the audit record.
	ApplyFix(ctx context.Context, p *fix.Plan) (*fix.Record, error)
	// DeclineFix audits a plan the operator declined (nothing is changed).
	DeclineFix(ctx context.Context, p *fix.Plan, reason string) error
	// CheckUndo says whether a fix record can be undone now (the rules of
	// `vigil fix undo`) and returns it, before the operator confirms.
	CheckUndo(recordID string) (*fix.Record, error)
	// UndoFix reverses an applied fix and returns the undo's audit record.
	UndoFix(ctx context.Context, recordID string) (*fix.Record, error)
	// DeclineUndo audits an undo the operator declined (nothing is changed).
	DeclineUndo(ctx context.Context, recordID, reason string) error

	// ExceptionImpact counts the open violations an exception would exempt
	// if it were added now (the preview before confirming).
	ExceptionImpact(e rules.Exception) (cycle.Impact, error)
}
