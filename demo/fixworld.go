package demo

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/scanner"
)

// World is the demo's simulated "live cloud": the demo store's assets as
// AWS would report them, plus the changes fixes made in this process (an
// in-memory overlay of changed, added and deleted assets). Fix actions read
// and change it; collectors list it, so a fix can be verified and undone
// without AWS. It is safe for concurrent use.
type World struct {
	st  *db.Store
	now func() time.Time

	mu      sync.Mutex
	changed map[string]*asset.Asset // changed or added assets, by ID
	deleted map[string]*asset.Asset // deleted assets (as they were), by ID
}

// WorldOption tunes a World.
type WorldOption func(*World)

// WithClock sets the clock key ages are measured against (the cycle's
// clock, so a fix judges age as the policies do); time.Now by default.
func WithClock(now func() time.Time) WorldOption { return func(w *World) { w.now = now } }

// NewWorld returns a simulated world over the assets of st.
func NewWorld(st *db.Store, opts ...WorldOption) *World {
	w := &World{st: st, now: time.Now, changed: map[string]*asset.Asset{}, deleted: map[string]*asset.Asset{}}
	for _, o := range opts {
		o(w)
	}
	return w
}

// errGone is returned when a resource no longer exists in the world.
var errGone = errors.New("resource not found (deleted)")

// lookup returns a copy of the live asset with an ID; w.mu must be held.
func (w *World) lookup(id string) (*asset.Asset, error) {
	if _, ok := w.deleted[id]; ok {
		return nil, fmt.Errorf("%s: %w", asset.Clean(id), errGone)
	}
	if a, ok := w.changed[id]; ok {
		return copyAsset(a), nil
	}
	a, err := w.st.Asset(id)
	if errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", asset.Clean(id), errGone)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s from the demo store: %w", asset.Clean(id), err)
	}
	return a, nil
}

// Asset returns the live state of a resource, as a fix or a re-scan sees it.
func (w *World) Asset(id string) (*asset.Asset, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lookup(id)
}

// Put replaces (or adds) a resource in the world: what a change made outside
// vigil looks like (drift).
func (w *World) Put(a asset.Asset) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.put(&a)
}

// put stores a changed or added asset; w.mu must be held.
func (w *World) put(a *asset.Asset) {
	delete(w.deleted, a.ID)
	w.changed[a.ID] = copyAsset(a)
}

// remove deletes an asset from the world, remembering it; w.mu must be held.
func (w *World) remove(a *asset.Asset) {
	delete(w.changed, a.ID)
	w.deleted[a.ID] = copyAsset(a)
}

// Patch applies the world's overlay to a unit's assets as a scan listed
// them: changed assets replace theirs, deleted ones are dropped, and added
// ones of the unit are appended. The demo's background scan goes through it
// so fixes survive the next scan.
func (w *World) Patch(u asset.UnitKey, list []asset.Asset) []asset.Asset {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.changed) == 0 && len(w.deleted) == 0 {
		return list
	}
	out := make([]asset.Asset, 0, len(list))
	seen := map[string]bool{}
	for _, a := range list {
		seen[a.ID] = true
		if _, gone := w.deleted[a.ID]; gone {
			continue
		}
		if c, ok := w.changed[a.ID]; ok {
			n := *copyAsset(c)
			n.FirstSeen, n.LastSeen, n.Source = a.FirstSeen, a.LastSeen, a.Source
			a = n
		}
		out = append(out, a)
	}
	for _, id := range slices.Sorted(maps.Keys(w.changed)) {
		if a := w.changed[id]; !seen[id] && inUnit(u, a) {
			out = append(out, *copyAsset(a))
		}
	}
	return out
}

// inUnit reports whether an asset belongs to a scan unit.
func inUnit(u asset.UnitKey, a *asset.Asset) bool {
	return a.Account == u.Account && a.Type == u.Type && (u.Region == asset.Global || a.Region == u.Region)
}

// Accounts lists the demo's account IDs, sorted.
func (w *World) Accounts() []string {
	var out []string
	_ = w.st.AssetsOfType(asset.TypeAccount, func(a *asset.Asset) error {
		out = append(out, a.Account)
		return nil
	})
	slices.Sort(out)
	return slices.Compact(out)
}

// Collectors returns one collector per asset type that lists a unit's
// resources from the world (the store with the overlay applied): what
// verification re-reads after a fix.
func (w *World) Collectors() *scanner.Registry {
	types := append(slices.Clone(asset.AWSTypes), asset.TypeVulnFinding)
	cs := make([]scanner.Collector, 0, len(types))
	for _, t := range types {
		cs = append(cs, worldCollector{w: w, typ: t})
	}
	return scanner.NewRegistry(cs...)
}

// worldCollector lists one asset type of a unit from the world.
type worldCollector struct {
	w   *World
	typ string
}

// Type returns the asset type it lists.
func (c worldCollector) Type() string { return c.typ }

// Global reports whether the type is listed once per account.
func (c worldCollector) Global() bool { return asset.GlobalTypes[c.typ] }

// Collect lists the unit's resources as they are now in the world.
func (c worldCollector) Collect(ctx context.Context, s *scanner.Session) ([]asset.Asset, error) {
	u := asset.UnitKey{Account: s.Account, Region: s.Region, Type: c.typ}
	if c.Global() {
		u.Region = asset.Global
	}
	var list []asset.Asset
	err := c.w.st.AssetsOfType(c.typ, func(a *asset.Asset) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if inUnit(u, a) {
			list = append(list, *a)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s in %s/%s: %w", c.typ, s.Account, s.Region, err)
	}
	return c.w.Patch(u, list), nil
}
