package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// spec is one simulated fix action as data. Most fixes set one attribute
// (path) to a compliant value computed from the live one; a destructive fix
// (path "") removes the resource instead. The plan's before-state is
// {key: the resource's name, last segment of path: the live value}, or for
// a removal {key: name, fields...}.
type spec struct {
	id, describe string
	typ          string // the asset type it fixes
	key          string // the attribute naming the resource in calls (bucket, instance_id, account, id)
	path         string // the attribute the fix changes; "" removes the resource
	undoable     bool
	// target returns the compliant value of path from the live one.
	target func(cur any, params map[string]any, now time.Time) any
	// ok reports whether the live value already complies (default: it equals the target).
	ok func(cur any) bool
	// calls are the AWS calls the real action makes.
	calls func(name string, cur, target any) []fix.Call
	// summary says what the fix does; noop what it says when there is nothing to do (%s: the name).
	summary func(name string, cur, target any) string
	noop    string
	// undo returns the value undo restores from the before value (default: the before value).
	undo func(before any) any
	// fields are the attributes a removal keeps in its before-state; refuse
	// stops it (an attached volume); snapshot keeps a safety snapshot first.
	fields   []string
	refuse   func(st map[string]any) error
	snapshot bool
}

// leaf is the last segment of the changed attribute's path.
func (s *spec) leaf() string { return s.path[strings.LastIndexByte(s.path, '.')+1:] }

// state is the live state the fix changes, in JSON form.
func (s *spec) state(a *asset.Asset) map[string]any {
	doc := a.Doc()
	name, _ := asset.Get(doc, s.key)
	st := map[string]any{s.key: name}
	if s.path == "" {
		for _, f := range s.fields {
			st[f], _ = asset.Get(doc, f)
		}
	} else {
		st[s.leaf()], _ = asset.Get(doc, s.path)
	}
	return normalize(st)
}

// plan returns the calls, summary and noop of a live state, or refuses.
func (s *spec) plan(st, params map[string]any, now time.Time) (calls []fix.Call, summary string, noop bool, err error) {
	name := asset.String(st[s.key])
	if s.path == "" {
		if s.refuse != nil {
			if err := s.refuse(st); err != nil {
				return nil, "", false, err
			}
		}
		return s.calls(name, st, nil), s.summary(name, st, nil), false, nil
	}
	cur := st[s.leaf()]
	want := normalizeValue(s.target(intify(cur), params, now))
	if (s.ok != nil && s.ok(cur)) || (s.ok == nil && reflect.DeepEqual(cur, want)) {
		return nil, fmt.Sprintf(s.noop, name), true, nil
	}
	return s.calls(name, cur, want), s.summary(name, cur, want), false, nil
}

// simAction is a spec acting on a World: it implements fix.Action.
type simAction struct {
	w *World
	s *spec
}

// ID returns the fix ID.
func (a simAction) ID() string { return a.s.id }

// Describe returns one line for help and docs.
func (a simAction) Describe() string { return a.s.describe + " (demo: simulated)" }

// live reads the resource a target names; w.mu must be held.
func (a simAction) live(t fix.Target) (*asset.Asset, map[string]any, error) {
	if t.Asset == nil {
		return nil, nil, fmt.Errorf("%s: no asset to fix", a.s.id)
	}
	cur, err := a.w.lookup(t.Asset.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: read %s: %w", a.s.id, asset.Clean(t.Asset.ID), err)
	}
	if cur.Type != a.s.typ {
		return nil, nil, fmt.Errorf("%s fixes %s, not %s (%s)", a.s.id, a.s.typ, cur.Type, asset.Clean(cur.ID))
	}
	return cur, a.s.state(cur), nil
}

// Plan reads the live resource and returns what the fix will do; it changes nothing.
func (a simAction) Plan(_ context.Context, t fix.Target) (*fix.Plan, error) {
	a.w.mu.Lock()
	defer a.w.mu.Unlock()
	cur, st, err := a.live(t)
	if err != nil {
		return nil, err
	}
	calls, summary, noop, err := a.s.plan(st, t.Params, a.w.now())
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.s.id, asset.Clean(cur.ID), err)
	}
	destructive := a.s.path == ""
	return &fix.Plan{Action: a.s.id, AssetID: cur.ID, AssetName: cur.Name, Account: cur.Account, Region: cur.Region,
		Summary: summary, Calls: calls, Before: st, Destructive: destructive && !noop, Undoable: a.s.undoable, Noop: noop}, nil
}

// Apply re-reads the resource, refuses with fix.ErrDrift when it no longer
// matches the plan, then changes the world and returns the after-state.
func (a simAction) Apply(_ context.Context, t fix.Target, p *fix.Plan) (map[string]any, error) {
	if p == nil {
		return nil, fmt.Errorf("%s: apply needs a plan", a.s.id)
	}
	a.w.mu.Lock()
	defer a.w.mu.Unlock()
	cur, st, err := a.live(t)
	if err != nil {
		return nil, err
	}
	if d := diff(normalize(p.Before), st); d != "" {
		return nil, fmt.Errorf("%s on %s: %w: %s", a.s.id, asset.Clean(cur.ID), fix.ErrDrift, d)
	}
	if p.Noop {
		return st, nil
	}
	if _, _, _, err := a.s.plan(st, t.Params, a.w.now()); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.s.id, asset.Clean(cur.ID), err)
	}
	if a.s.path == "" {
		after := map[string]any{a.s.key: st[a.s.key], "deleted": true}
		if a.s.snapshot {
			snap := safetySnapshot(cur, a.w.now())
			a.w.put(&snap)
			after["snapshot_id"] = snap.Attrs["snapshot_id"]
		}
		a.w.remove(cur)
		return normalize(after), nil
	}
	want := a.s.target(intify(st[a.s.leaf()]), t.Params, a.w.now())
	if err := setPath(cur.Attrs, a.s.path, intify(normalizeValue(want))); err != nil {
		return nil, fmt.Errorf("%s on %s: %w", a.s.id, asset.Clean(cur.ID), err)
	}
	a.w.put(cur)
	return a.s.state(cur), nil
}

// Undo reverses an applied record: the changed attribute gets its
// before-value back, or a removed resource returns.
func (a simAction) Undo(_ context.Context, _ fix.Target, r *fix.Record) error {
	if !a.s.undoable {
		return fix.ErrNotUndoable
	}
	if r == nil {
		return fmt.Errorf("%s: undo needs the applied record", a.s.id)
	}
	a.w.mu.Lock()
	defer a.w.mu.Unlock()
	if a.s.path == "" {
		gone, ok := a.w.deleted[r.AssetID]
		if !ok {
			return fmt.Errorf("undo %s: %s was not removed by vigil", a.s.id, asset.Clean(r.AssetID))
		}
		a.w.put(gone)
		return nil
	}
	cur, err := a.w.lookup(r.AssetID)
	if err != nil {
		return fmt.Errorf("undo %s: %w", a.s.id, err)
	}
	before, ok := r.Before[a.s.leaf()]
	if !ok {
		return fmt.Errorf("undo %s: record %s has no %s in its before-state", a.s.id, r.ID, a.s.leaf())
	}
	if a.s.undo != nil {
		before = a.s.undo(before)
	}
	if err := setPath(cur.Attrs, a.s.path, intify(before)); err != nil {
		return fmt.Errorf("undo %s on %s: %w", a.s.id, asset.Clean(cur.ID), err)
	}
	a.w.put(cur)
	return nil
}

// diff describes how a live state differs from the planned one, "" when
// equal. Both have the same keys: the spec's name key and its values.
// It compares want's keys only, through asset.Diff (the one state diff).
func diff(want, got map[string]any) string {
	onWant := make(map[string]any, len(want))
	for k := range want {
		if v, ok := got[k]; ok {
			onWant[k] = v
		}
	}
	var parts []string
	for _, c := range asset.Diff(want, onWant) {
		parts = append(parts, fmt.Sprintf("%s was %s, now %s", c.Path, compact(c.Before), compact(c.After)))
	}
	return strings.Join(parts, "; ")
}

// compact renders a value as short JSON for a message.
func compact(v any) string {
	b, _ := json.Marshal(v)
	if s := string(b); len(s) <= 200 {
		return s
	}
	return string(b[:200]) + "..."
}
