package cycle

import (
	"context"
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/fix"
)

// undoable says why a fix record cannot be undone, or nil when it can: only
// an applied, reversible record that no undo has reversed yet.
func undoable(r *fix.Record) error {
	switch {
	case r.UndoneBy != "":
		return fmt.Errorf("fix record %s was already undone by %s", r.ID, r.UndoneBy)
	case r.Status != fix.RecordApplied:
		return fmt.Errorf("fix record %s is %s: only applied fixes can be undone", r.ID, r.Status)
	case !r.Undoable:
		return fmt.Errorf("fix record %s (%s): %w", r.ID, r.Action, fix.ErrNotUndoable)
	}
	return nil
}

// UndoRecord is the audit record of an undo of orig by by at now, before
// its outcome is known: the calls reverse orig's, its before is orig's
// after-state and its after is orig's before-state.
func UndoRecord(orig *fix.Record, by string, now time.Time) *fix.Record {
	return &fix.Record{ID: newRecordID(now), Action: orig.Action, ViolationID: orig.ViolationID,
		PolicyID: orig.PolicyID, AssetID: orig.AssetID, Account: orig.Account, Region: orig.Region,
		By: by, At: now, UndoOf: orig.ID, Before: orig.After, After: orig.Before}
}

// undoDrift reads the live resource through the action's plan and compares
// it with the after-state the fix recorded (fix.DriftFrom). A difference is fix.ErrDrift: someone changed the resource since the fix.
func undoDrift(ctx context.Context, act fix.Action, t fix.Target, orig *fix.Record) error {
	if len(orig.After) == 0 {
		return nil // a removal (release, delete): nothing live to compare
	}
	p, err := act.Plan(ctx, t)
	if err != nil {
		return fmt.Errorf("read the live resource before undoing: %w", err)
	}
	if d := fix.DriftFrom(orig.After, p.Before); d != "" {
		return fmt.Errorf("%w: %s", fix.ErrDrift, d)
	}
	return nil
}
