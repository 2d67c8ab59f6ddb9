package cycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// ErrNoFixer is returned when fixes are asked of a cycle built without AWS.
var ErrNoFixer = errors.New("fixes need AWS credentials; this session has none (demo or read-only)")

// newRecordID returns a sortable unique fix record ID.
func newRecordID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return "fix-" + t.UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b[:])
}

// fixContext is what planning and applying a violation's fix needs.
type fixContext struct {
	v      *rules.Violation
	p      *rules.Policy
	a      *asset.Asset
	action fix.Action
}

func (c *Cycle) fixContext(violationID string) (*fixContext, error) {
	v, err := c.Store.Violation(violationID)
	if err != nil {
		return nil, fmt.Errorf("violation %s: %w", violationID, err)
	}
	switch v.Status {
	case rules.StatusExempt:
		return nil, fmt.Errorf("violation %s is exempt (exception %s): exempt violations are never fixed", v.ID, v.ExceptionID)
	case rules.StatusClosed:
		return nil, fmt.Errorf("violation %s is closed (%s): nothing to fix", v.ID, v.Reason)
	}
	ps, _, err := c.Policies()
	if err != nil {
		return nil, err
	}
	var p *rules.Policy
	for _, q := range ps {
		if q.ID == v.PolicyID {
			p = q
		}
	}
	if p == nil {
		return nil, fmt.Errorf("policy %s of violation %s is not loaded", v.PolicyID, v.ID)
	}
	if p.Fix == "" {
		return nil, fmt.Errorf("policy %s has no fix action; remediate by hand: %s", p.ID, p.Remediation)
	}
	if c.deps.Fixer == nil {
		return nil, ErrNoFixer
	}
	act, ok := c.deps.Fixer.Registry.Get(p.Fix)
	if !ok {
		return nil, fmt.Errorf("policy %s names fix %q, which this vigil does not have", p.ID, p.Fix)
	}
	a, err := c.Store.Asset(v.AssetID)
	if err != nil {
		return nil, fmt.Errorf("asset %s: %w", v.AssetID, err)
	}
	return &fixContext{v: v, p: p, a: a, action: act}, nil
}

func (c *Cycle) params(p *rules.Policy) map[string]any {
	out := map[string]any{}
	for k, v := range p.Params {
		out[k] = v
	}
	if pc, ok := c.Config.Policies[p.ID]; ok {
		for k, v := range pc.Params {
			out[k] = v
		}
	}
	return out
}

// PlanFixAs is PlanFix for an actor: a violation whose asset lies outside
// the actor's groups is refused (and audited) as if it were a fix.
func (c *Cycle) PlanFixAs(ctx context.Context, violationID string, actor asset.Actor) (*fix.Plan, error) {
	if actor.Scoped() {
		v, err := c.Store.Violation(violationID)
		if err != nil {
			return nil, fmt.Errorf("violation %s: %w", violationID, err)
		}
		if in, err := c.InScope(actor, v.AssetID); err != nil || !in {
			if err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("violation %s: %w", violationID, db.ErrNotFound)
		}
	}
	return c.PlanFix(ctx, violationID)
}

// PlanFix computes the fix plan of an open violation from the live resource.
// Nothing is changed.
func (c *Cycle) PlanFix(ctx context.Context, violationID string) (*fix.Plan, error) {
	fc, err := c.fixContext(violationID)
	if err != nil {
		return nil, err
	}
	t, err := c.deps.Fixer.fixTarget(ctx, fc.a, c.params(fc.p))
	if err != nil {
		return nil, err
	}
	plan, err := fc.action.Plan(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("plan %s on %s: %w", fc.action.ID(), fc.a.ID, err)
	}
	plan.Action, plan.ViolationID, plan.PolicyID = fc.action.ID(), fc.v.ID, fc.p.ID
	plan.AssetID, plan.AssetName, plan.Account, plan.Region = fc.a.ID, fc.a.Name, fc.a.Account, fc.a.Region
	plan.Severity = fc.p.Severity
	return plan, nil
}

// ApplyFix applies a plan the operator confirmed, as by: it re-checks the
// violation (an exempt or closed one is refused), applies (the action itself
// refuses on drift), records the audit record, then re-reads the resource
// and re-judges it so a fixed violation closes at once.
func (c *Cycle) ApplyFix(ctx context.Context, plan *fix.Plan, actor asset.Actor) (*fix.Record, error) {
	if err := c.check(actor, asset.ActFix, plan.AssetID); err != nil {
		return c.refuse(actor, asset.ActFix, plan.ViolationID, plan, err)
	}
	by := actor.Name
	rec := &fix.Record{ID: newRecordID(c.now()), Action: plan.Action, ViolationID: plan.ViolationID,
		PolicyID: plan.PolicyID, AssetID: plan.AssetID, Account: plan.Account, Region: plan.Region,
		By: by, At: c.now(), Calls: plan.Calls, Before: plan.Before, Undoable: plan.Undoable}
	fc, err := c.fixContext(plan.ViolationID)
	if err != nil {
		rec.Status, rec.Error = fix.RecordRefused, err.Error()
		return rec, c.saveRecord(rec, err)
	}
	t, err := c.deps.Fixer.fixTarget(ctx, fc.a, c.params(fc.p))
	if err != nil {
		rec.Status, rec.Error = fix.RecordFailed, err.Error()
		return rec, c.saveRecord(rec, err)
	}
	after, err := fc.action.Apply(ctx, t, plan)
	switch {
	case errors.Is(err, fix.ErrDrift):
		rec.Status, rec.Error = fix.RecordRefused, err.Error()
		return rec, c.saveRecord(rec, err)
	case err != nil:
		rec.Status, rec.Error = fix.RecordFailed, err.Error()
		return rec, c.saveRecord(rec, err)
	}
	rec.Status, rec.After = fix.RecordApplied, after
	if err := c.recordAttempt(rec); err != nil {
		return rec, fmt.Errorf("store fix record: %w", err)
	}
	c.fixApplied(rec)
	if err := c.verify(ctx, fc, rec); err != nil {
		c.logf("verify %s: %v", rec.ID, err)
		return rec, fmt.Errorf("fix applied (%s) but verification failed: %w", rec.ID, err)
	}
	return rec, nil
}

func (c *Cycle) saveRecord(rec *fix.Record, cause error) error {
	if err := c.recordAttempt(rec); err != nil {
		return fmt.Errorf("%w (and storing the audit record failed: %v)", cause, err)
	}
	return cause
}

// verify re-collects the fixed resource, stores it, and re-judges it: when
// the policy now passes the violation closes "fixed by vigil <record>".
func (c *Cycle) verify(ctx context.Context, fc *fixContext, rec *fix.Record) error {
	defer c.gen.Add(1)
	fresh, err := c.deps.Fixer.recollect(ctx, fc.a, c.regionsOf(fc.a.Account))
	if err != nil {
		return err
	}
	now := c.now()
	reason := "fixed by vigil " + rec.ID
	if fresh == nil { // the fix removed the resource (release, delete)
		if err := c.Store.DeleteAssetsAt(fixStamp(rec.ID, now), []string{fc.a.ID}); err != nil {
			return fmt.Errorf("remove deleted asset: %w", err)
		}
		return c.Store.PutViolations([]rules.Violation{rules.Close(*fc.v, reason, rec.By, now)})
	}
	fresh.LastSeen = now
	if err := c.Store.PutAssetsAt(fixStamp(rec.ID, now), []asset.Asset{*fresh}); err != nil {
		return fmt.Errorf("store re-read asset: %w", err)
	}
	if err := c.forget(fc.a.ID); err != nil {
		return err
	}
	ps, _, err := c.Policies()
	if err != nil {
		return err
	}
	inv, err := c.loadInventory()
	if err != nil {
		return err
	}
	grps, err := c.groupsFor(inv.sums)
	if err != nil {
		return err
	}
	eng, _ := c.engine(ps, grps)
	for _, r := range eng.Evaluate(fresh, rules.NewIndex(inv.assets)) {
		if r.PolicyID == fc.p.ID && r.Err == nil && r.Pass {
			return c.Store.PutViolations([]rules.Violation{rules.Close(*fc.v, reason, rec.By, now)})
		}
	}
	return fmt.Errorf("policy %s still fails on %s after the fix", fc.p.ID, fc.a.ID)
}

// regionsOf returns the regions known for an account (from its account
// asset), for re-reading account-wide settings.
func (c *Cycle) regionsOf(account string) []string {
	a, err := c.Store.Asset(asset.AccountID(account))
	if err != nil {
		return nil
	}
	m, _ := a.Attrs["ebs_default_encryption"].(map[string]any)
	return keysAny(m)
}

func keysAny(m map[string]any) []string {
	set := map[string]bool{}
	for k := range m {
		set[k] = true
	}
	return keys(set)
}

// UndoFix reverses an applied fix where the action allows it, as by. It
// works once: the applied record becomes undone. Like apply, it refuses
// (and audits the refusal) when the live resource has drifted from the
// fix's after-state, so an undo never reverts a change someone made since.
func (c *Cycle) UndoFix(ctx context.Context, recordID string, actor asset.Actor) (*fix.Record, error) {
	orig, err := c.Store.FixRecord(recordID)
	if err != nil {
		return nil, fmt.Errorf("fix record %s: %w", recordID, err)
	}
	if err := c.check(actor, asset.ActFixUndo, orig.AssetID); err != nil {
		return c.refuse(actor, asset.ActFixUndo, recordID, nil, err)
	}
	by := actor.Name
	if err := undoable(orig); err != nil {
		return nil, err
	}
	if c.deps.Fixer == nil {
		return nil, ErrNoFixer
	}
	act, ok := c.deps.Fixer.Registry.Get(orig.Action)
	if !ok {
		return nil, fmt.Errorf("fix action %q is unknown", orig.Action)
	}
	a, err := c.Store.Asset(orig.AssetID)
	gone := errors.Is(err, db.ErrNotFound) // the fix removed it: nothing live to compare
	if gone {
		a = &asset.Asset{ID: orig.AssetID, Account: orig.Account, Region: orig.Region}
	} else if err != nil {
		return nil, err
	}
	rec := UndoRecord(orig, by, c.now())
	t, err := c.deps.Fixer.fixTarget(ctx, a, nil)
	if err == nil && !gone {
		err = undoDrift(ctx, act, t, orig)
		if errors.Is(err, fix.ErrDrift) {
			rec.Status, rec.Error = fix.RecordRefused, err.Error()
			return rec, c.saveRecord(rec, fmt.Errorf("undo %s refused: %w", orig.ID, err))
		}
	}
	if err == nil {
		err = act.Undo(ctx, t, orig)
	}
	if err != nil {
		rec.Status, rec.Error = fix.RecordFailed, err.Error()
		return rec, c.saveRecord(rec, fmt.Errorf("undo %s: %w", orig.ID, err))
	}
	c.gen.Add(1)
	rec.Status = fix.RecordUndone
	orig.Status, orig.UndoneBy = fix.RecordUndone, rec.ID
	if err := c.recordAttempt(rec); err != nil {
		return rec, err
	}
	if err := c.recordAttempt(orig); err != nil {
		return rec, err
	}
	// Re-read the resource and judge it again, so the violation the fix
	// closed re-opens now rather than after the next scan.
	if fresh, err := c.deps.Fixer.recollect(ctx, a, c.regionsOf(a.Account)); err == nil && fresh != nil {
		fresh.LastSeen = c.now()
		if err := c.Store.PutAssetsAt(fixStamp(rec.ID, fresh.LastSeen), []asset.Asset{*fresh}); err != nil {
			return rec, fmt.Errorf("store re-read asset: %w", err)
		}
	}
	if err := c.forget(orig.AssetID); err != nil {
		return rec, err
	}
	return rec, c.Reevaluate(ctx, by)
}

// forget drops an asset's evaluation mark, so the next evaluation judges it
// again whatever its document hash (a fix or an undo changed it outside a
// scan: a later scan may bring back a document the old mark matches).
func (c *Cycle) forget(id string) error {
	if err := c.Store.PutEvalStates(map[string]uint64{id: 0}); err != nil {
		return fmt.Errorf("reset evaluation mark of %s: %w", id, err)
	}
	return nil
}
