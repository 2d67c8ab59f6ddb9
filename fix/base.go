package fix

import (
	"context"
	"fmt"
)

// impl is what one fix action implements; action wraps it into an Action
// with the plan / drift-check / apply sequence every fix shares.
type impl interface {
	// read returns the live values the fix changes (JSON-compatible).
	read(ctx context.Context, t Target) (map[string]any, error)
	// plan returns the calls the fix will make from the live state, a
	// one-line summary, and noop when the resource is already compliant.
	// It may refuse (an attached volume) with an error.
	plan(t Target, live map[string]any) (calls []Call, summary string, noop bool, err error)
	// apply acts on a live state that matched the plan and returns the after-state.
	apply(ctx context.Context, t Target, live map[string]any) (map[string]any, error)
	// undo reverses an applied record (only called when the action is undoable).
	undo(ctx context.Context, t Target, r *Record) error
}

// meta is the fixed description of an action.
type meta struct {
	id, describe          string
	destructive, undoable bool
}

// action is an Action built from its meta and impl.
type action struct {
	meta
	impl impl
}

func newAction(m meta, i impl) *action { return &action{meta: m, impl: i} }

// ID returns the action's ID.
func (a *action) ID() string { return a.id }

// Describe returns one line for help and docs.
func (a *action) Describe() string { return a.describe }

// Plan reads the live resource and returns what the fix will do; it changes nothing.
func (a *action) Plan(ctx context.Context, t Target) (*Plan, error) {
	if t.Asset == nil {
		return nil, fmt.Errorf("%s: no asset to fix", a.id)
	}
	live, err := a.read(ctx, t)
	if err != nil {
		return nil, err
	}
	calls, summary, noop, err := a.impl.plan(t, live)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.id, t.Asset.ID, err)
	}
	if noop {
		calls = nil
	}
	return &Plan{Action: a.id, AssetID: t.Asset.ID, AssetName: t.Asset.Name, Account: t.Asset.Account,
		Region: t.Asset.Region, Summary: summary, Calls: calls, Before: live,
		Destructive: a.destructive && !noop, Undoable: a.undoable, Noop: noop}, nil
}

// Apply re-reads the resource, refuses with ErrDrift when it no longer
// matches the plan, then acts and returns the after-state.
func (a *action) Apply(ctx context.Context, t Target, p *Plan) (map[string]any, error) {
	if t.Asset == nil || p == nil {
		return nil, fmt.Errorf("%s: apply needs an asset and a plan", a.id)
	}
	live, err := a.read(ctx, t)
	if err != nil {
		return nil, err
	}
	if d := diff(normalize(p.Before), live); d != "" {
		return nil, fmt.Errorf("%s on %s: %w: %s", a.id, t.Asset.ID, ErrDrift, d)
	}
	if p.Noop {
		return live, nil
	}
	if _, _, _, err := a.impl.plan(t, live); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.id, t.Asset.ID, err)
	}
	after, err := a.impl.apply(ctx, t, live)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.id, t.Asset.ID, err)
	}
	return normalize(after), nil
}

// Undo reverses an applied record, or returns ErrNotUndoable.
func (a *action) Undo(ctx context.Context, t Target, r *Record) error {
	if !a.undoable {
		return ErrNotUndoable
	}
	if r == nil {
		return fmt.Errorf("%s: undo needs the applied record", a.id)
	}
	if err := a.impl.undo(ctx, t, r); err != nil {
		return fmt.Errorf("undo %s on %s: %w", a.id, r.AssetID, err)
	}
	return nil
}

func (a *action) read(ctx context.Context, t Target) (map[string]any, error) {
	live, err := a.impl.read(ctx, t)
	if err != nil {
		return nil, fmt.Errorf("%s: read %s: %w", a.id, t.Asset.ID, err)
	}
	return normalize(live), nil
}
