package demo

import (
	"context"

	"github.com/vigil-sec/vigil/asset"
)

// ScanSource is what a scan source offers (the shape of cycle.Source,
// which this package cannot import).
type ScanSource interface {
	Units() []asset.UnitKey
	Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error
}

// WorldSource is a scan source whose units are patched with the world's
// fixes, so a background demo scan after a fix sees the fixed world instead
// of reopening the violation. It satisfies cycle.Source.
type WorldSource struct {
	w     *World
	inner ScanSource
}

// Scan wraps a scan source (the demo's *Source) so what it lists goes
// through the world's overlay.
func (w *World) Scan(inner ScanSource) *WorldSource { return &WorldSource{w: w, inner: inner} }

// Units lists the inner source's units.
func (s *WorldSource) Units() []asset.UnitKey { return s.inner.Units() }

// Run runs the inner source, patching every unit's assets with the world.
func (s *WorldSource) Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error {
	return s.inner.Run(ctx, func(u asset.Unit, assets []asset.Asset) {
		list := s.w.Patch(u.UnitKey, assets)
		u.Assets = len(list)
		handle(u, list)
	})
}
