package cycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// SetPolicyState changes an operator override of a policy as actor a (an
// admin; a refusal is audited), audits it, and re-judges the inventory so
// the change shows at once (a disabled policy's violations close "policy
// disabled").
func SetPolicyState(ctx context.Context, c *Cycle, id string, a asset.Actor, action string, change func(*rules.PolicyState)) error {
	if err := c.Authorize(a, asset.ActPolicyEdit, id, ""); err != nil {
		return err
	}
	by := a.Name
	states, err := c.Store.PolicyStates()
	if err != nil {
		return err
	}
	ps, _, err := c.Policies()
	if err != nil {
		return err
	}
	found := false
	for _, p := range ps {
		if p.ID == id {
			found = true
			if _, ok := states[id]; !ok {
				states[id] = rules.PolicyState{PolicyID: id, Disabled: p.Disabled}
			}
		}
	}
	if !found {
		return fmt.Errorf("no policy %q", id)
	}
	st := states[id]
	change(&st)
	st.By, st.At = by, c.now()
	if err := c.Store.PutPolicyState(st); err != nil {
		return fmt.Errorf("store policy state: %w", err)
	}
	if err := c.Store.AppendAudit(db.AuditEvent{At: c.now(), By: by, Action: action, Target: id}); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return c.Reevaluate(ctx, by)
}

// AddException validates and stores an exception made by actor a (an
// operator whose groups hold the violation's asset; a refusal is audited),
// audits it, and applies it at once (covered violations become exempt).
func AddException(ctx context.Context, c *Cycle, e rules.Exception, a asset.Actor) (rules.Exception, error) {
	target, assetID := e.ViolationID, ""
	if e.ViolationID != "" {
		if v, err := c.Store.Violation(e.ViolationID); err == nil {
			assetID = v.AssetID
		}
	} else if a.Scoped() {
		// A sticky exception reaches future assets anywhere: not for a
		// user confined to some groups.
		err := &asset.RefusedError{Actor: a, Action: asset.ActExceptionAdd,
			Reason: "a sticky exception reaches assets outside the groups this user is confined to"}
		return e, c.AuditRefusal(a, asset.ActExceptionAdd, "sticky", nil, err)
	}
	if target == "" {
		target = "sticky"
	}
	if err := c.Authorize(a, asset.ActExceptionAdd, target, assetID); err != nil {
		return e, err
	}
	author := a.Name
	now := c.now()
	if e.ID == "" {
		var b [4]byte
		_, _ = rand.Read(b[:])
		e.ID = "exc-" + hex.EncodeToString(b[:])
	}
	e.Author, e.Created = author, now
	if e.Kind == "" {
		e.Kind = rules.ExceptionIndividual
		if e.ViolationID == "" {
			e.Kind = rules.ExceptionSticky
		}
	}
	if e.Kind == rules.ExceptionIndividual {
		if _, err := c.Store.Violation(e.ViolationID); err != nil {
			return e, fmt.Errorf("violation %s: %w", e.ViolationID, err)
		}
	}
	if err := rules.ValidateException(&e, now); err != nil {
		return e, err
	}
	if err := c.Store.PutException(&e); err != nil {
		return e, fmt.Errorf("store exception: %w", err)
	}
	detail := fmt.Sprintf("%s until %s: %s", e.Kind, e.Expires.Format("2006-01-02"), e.Reason)
	if err := c.Store.AppendAudit(db.AuditEvent{At: now, By: author, Action: "exception.add", Target: e.ID, Detail: detail}); err != nil {
		return e, fmt.Errorf("audit: %w", err)
	}
	return e, c.Reevaluate(ctx, author)
}

// RevokeException ends an exception as actor a (an admin; a refusal is
// audited); the violations it covered re-open at once.
func RevokeException(ctx context.Context, c *Cycle, id string, a asset.Actor) error {
	if err := c.Authorize(a, asset.ActExceptionRevoke, id, ""); err != nil {
		return err
	}
	by := a.Name
	es, err := c.Store.Exceptions()
	if err != nil {
		return err
	}
	for i := range es {
		if es[i].ID != id {
			continue
		}
		if es[i].RevokedAt != nil {
			return fmt.Errorf("exception %s was already revoked by %s", id, es[i].RevokedBy)
		}
		now := c.now()
		es[i].RevokedAt, es[i].RevokedBy = &now, by
		if err := c.Store.PutException(&es[i]); err != nil {
			return err
		}
		if err := c.Store.AppendAudit(db.AuditEvent{At: now, By: by, Action: "exception.revoke", Target: id}); err != nil {
			return err
		}
		return c.Reevaluate(ctx, by)
	}
	return fmt.Errorf("no exception %q", id)
}
