package cycle

import (
	"fmt"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// DeclineFix audits a planned fix that was not applied because the
// operator said No (at the console's dialog or the CLI's prompt) or the
// front end refused it (no --yes off a terminal, a mistyped name), with the
// reason. Every front end records a declined fix through it; the record
// shows in `vigil fixes` as refused (role refusals go through
// AuditRefusal; both write through recordAttempt).
func (c *Cycle) DeclineFix(p *fix.Plan, actor asset.Actor, reason string) (*fix.Record, error) {
	rec := &fix.Record{ID: newRecordID(c.now()), Action: p.Action, ViolationID: p.ViolationID,
		PolicyID: p.PolicyID, AssetID: p.AssetID, Account: p.Account, Region: p.Region,
		By: actor.Name, At: c.now(), Status: fix.RecordRefused, Calls: p.Calls, Before: p.Before,
		Undoable: p.Undoable, Error: reason}
	if err := c.recordAttempt(rec); err != nil {
		return rec, fmt.Errorf("audit the declined fix: %w", err)
	}
	return rec, nil
}

// DeclineUndo audits an undo of recordID that was not carried out, with
// the reason (declined at the prompt, no --yes, not undoable).
func (c *Cycle) DeclineUndo(recordID string, actor asset.Actor, reason string) (*fix.Record, error) {
	orig, err := c.Store.FixRecord(recordID)
	if err != nil {
		return nil, fmt.Errorf("fix record %s: %w", recordID, err)
	}
	rec := UndoRecord(orig, actor.Name, c.now())
	rec.Status, rec.Error = fix.RecordRefused, reason
	if err := c.recordAttempt(rec); err != nil {
		return rec, fmt.Errorf("audit the declined undo: %w", err)
	}
	return rec, nil
}

// CheckUndo says whether a fix record can be undone now, without acting:
// front ends call it before asking for confirmation.
func (c *Cycle) CheckUndo(recordID string) (*fix.Record, error) {
	orig, err := c.Store.FixRecord(recordID)
	if err != nil {
		return nil, fmt.Errorf("fix record %s: %w", recordID, err)
	}
	return orig, undoable(orig)
}

// recordAttempt is the one writer of fix audit records: every attempt —
// applied, refused, declined, failed, undone — and the update of an applied
// record an undo reverses goes through here, and is logged.
func (c *Cycle) recordAttempt(rec *fix.Record) error {
	if err := c.Store.PutFixRecord(rec); err != nil {
		return fmt.Errorf("store fix record %s: %w", rec.ID, err)
	}
	c.logf("fix %s: %s %s on %s by %s", rec.ID, rec.Status, rec.Action, rec.AssetID, rec.By)
	return nil
}
