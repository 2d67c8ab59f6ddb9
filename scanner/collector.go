// Package scanner discovers resources and turns them into assets: one
// collector per resource type behind one small interface, a registry, and a
// runner that works through (account, region, type) units concurrently. It
// writes nothing itself: it hands each finished unit to its caller.
package scanner

import (
	"context"
	"sort"

	"github.com/vigil-sec/vigil/asset"
)

// Collector lists every resource of one type in one unit.
type Collector interface {
	// Type is the asset type it produces (asset.Type... constant).
	Type() string
	// Global reports whether the type is listed once per account (unit
	// region asset.Global) rather than once per region.
	Global() bool
	// Collect lists the unit's resources. It returns an error when it could
	// not list them all: a partial list must never be taken as complete.
	Collect(ctx context.Context, s *Session) ([]asset.Asset, error)
}

// Registry holds the collectors by type.
type Registry struct {
	byType map[string]Collector
}

// NewRegistry builds a registry of the given collectors.
func NewRegistry(cs ...Collector) *Registry {
	r := &Registry{byType: map[string]Collector{}}
	for _, c := range cs {
		r.byType[c.Type()] = c
	}
	return r
}

// Get returns the collector of a type.
func (r *Registry) Get(typ string) (Collector, bool) {
	c, ok := r.byType[typ]
	return c, ok
}

// Types lists the registered types, sorted.
func (r *Registry) Types() []string {
	out := make([]string, 0, len(r.byType))
	for t := range r.byType {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}
