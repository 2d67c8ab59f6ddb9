package cycle

import (
	"errors"
	"fmt"
	"slices"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/groups"
)

// ScheduleActor is who the unattended cycle (schedule, autofix) acts as.
func ScheduleActor() asset.Actor {
	return asset.Actor{Name: AutofixBy, Role: asset.RoleAdmin, Via: asset.ViaSchedule}
}

// Authorize checks a write of an actor: its role must allow act and, when
// assetID is set, the asset must be in the actor's groups. A refusal is
// audited (AuditRefusal) and returned as a *asset.RefusedError.
func (c *Cycle) Authorize(a asset.Actor, act asset.Action, target, assetID string) error {
	if err := c.check(a, act, assetID); err != nil {
		return c.AuditRefusal(a, act, target, nil, err)
	}
	return nil
}

// check is Authorize without the audit.
func (c *Cycle) check(a asset.Actor, act asset.Action, assetID string) error {
	err := a.Check(act)
	if err == nil && assetID != "" && a.Scoped() {
		in, serr := c.InScope(a, assetID)
		if serr != nil {
			return serr
		}
		if !in {
			err = &asset.RefusedError{Actor: a, Action: act,
				Reason: fmt.Sprintf("the asset is outside the groups %v this user is confined to", a.Groups)}
		}
	}
	return err
}

// AuditRefusal records a refused attempt — who, what, why — and returns
// cause. It is the one place refusals are audited: a refused fix or undo
// becomes a fix record with status refused (listed by `vigil fixes`), and
// every refusal is also an audit event "refused <action>" (listed by
// `vigil exceptions history` and the audit trail). plan, when set, is the
// fix that was refused.
func (c *Cycle) AuditRefusal(a asset.Actor, act asset.Action, target string, plan *fix.Plan, cause error) error {
	_, err := c.refuse(a, act, target, plan, cause)
	return err
}

// refuse is AuditRefusal, also returning the refused fix's record (nil
// for actions other than fixes).
func (c *Cycle) refuse(a asset.Actor, act asset.Action, target string, plan *fix.Plan, cause error) (*fix.Record, error) {
	now := c.now()
	var rec *fix.Record
	reason := cause.Error()
	var rerr *asset.RefusedError
	if errors.As(cause, &rerr) {
		reason = rerr.Reason
	}
	var errs []error
	if act == asset.ActFix || act == asset.ActFixUndo {
		rec = &fix.Record{ID: newRecordID(now), ViolationID: target, By: a.Name, At: now,
			Status: fix.RecordRefused, Error: fmt.Sprintf("%s refused to %s: %s", act, a, reason)}
		if act == asset.ActFixUndo {
			rec.ViolationID, rec.UndoOf = "", target
		}
		if plan != nil {
			rec.Action, rec.ViolationID, rec.PolicyID, rec.AssetID = plan.Action, plan.ViolationID, plan.PolicyID, plan.AssetID
			rec.Account, rec.Region, rec.Calls, rec.Before = plan.Account, plan.Region, plan.Calls, plan.Before
		}
		if err := c.recordAttempt(rec); err != nil {
			errs = append(errs, fmt.Errorf("store the refused fix's record: %w", err))
		}
	}
	if err := c.Store.AppendAudit(db.AuditEvent{At: now, By: a.Name, Action: "refused " + string(act),
		Target: target, Detail: fmt.Sprintf("%s: %s", a, reason)}); err != nil {
		errs = append(errs, fmt.Errorf("audit the refusal: %w", err))
	}
	c.logf("refused: %s %s %s: %s", a, act, target, reason)
	if len(errs) > 0 {
		return rec, fmt.Errorf("%w (%v)", cause, errors.Join(errs...))
	}
	return rec, cause
}

// Scope is the set of asset IDs an actor may see; nil means every asset.
type Scope map[string]bool

// Has reports whether the scope lets its actor see the asset.
func (s Scope) Has(id string) bool { return s == nil || s[id] }

// ScopeOf returns the assets in the actor's groups (nil: unconfined). A
// group the actor names that does not exist confines to nothing rather
// than to everything.
func (c *Cycle) ScopeOf(a asset.Actor) (Scope, error) {
	if !a.Scoped() {
		return nil, nil
	}
	sums, err := c.Store.AllSummaries()
	if err != nil {
		return nil, fmt.Errorf("load assets: %w", err)
	}
	return c.scopeIn(a, sums)
}

// scopeIn computes an actor's scope among sums.
func (c *Cycle) scopeIn(a asset.Actor, sums []asset.Summary) (Scope, error) {
	if !a.Scoped() {
		return nil, nil
	}
	gs, err := c.groupsFor(sums)
	if err != nil {
		return nil, err
	}
	doc := func(id string) map[string]any {
		x, err := c.Store.Asset(id)
		if err != nil {
			return nil
		}
		return x.Doc()
	}
	out := Scope{}
	for _, g := range gs {
		if !slices.Contains(a.Groups, g.Name) {
			continue
		}
		if g.Name == groups.All {
			for i := range sums {
				out[sums[i].ID] = true
			}
			continue
		}
		for _, s := range members(g, sums, doc) {
			out[s.ID] = true
		}
	}
	return out, nil
}

// InScope reports whether an asset is in the actor's groups.
func (c *Cycle) InScope(a asset.Actor, assetID string) (bool, error) {
	sc, err := c.ScopeOf(a)
	if err != nil {
		return false, err
	}
	return sc.Has(assetID), nil
}

// TestActor is an admin on the local command line named name: what tests
// and benchmarks act as when roles are not what they test.
func TestActor(name string) asset.Actor {
	return asset.Actor{Name: name, Role: asset.RoleAdmin, Via: asset.ViaCLI}
}

// AuditRefused records that this session's user attempted act (a console
// key whose action their role lacks) and was refused: a fix or undo as a
// refused fix record, every action as an audit event. It does nothing when
// the role allows act; an error is a failure to record.
func (b *Backend) AuditRefused(act asset.Action, target string) error {
	err := b.actor.Check(act)
	if err == nil {
		return nil
	}
	if ar := b.C.AuditRefusal(b.actor, act, target, nil, err); ar != err {
		return ar
	}
	return nil
}
