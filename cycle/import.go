package cycle

import (
	"context"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/snapshot"
)

// identified is a source whose scan record has a given ID and start time
// (an import records the snapshot's scan time, so a later import of an
// older snapshot does not overwrite what this one brought).
type identified interface {
	ScanIdentity() (id string, started time.Time)
}

// ImportPlan is what importing one verified snapshot will do, per unit.
type ImportPlan struct {
	File     string
	Manifest *snapshot.Manifest
	ScanID   string
	AsOf     time.Time       // the snapshot's newest scan of the units it brings
	Replace  []asset.UnitKey // completed in the snapshot: replace the store's
	Failed   []asset.UnitKey // failed in the snapshot: change nothing
	Newer    []asset.UnitKey // the store holds a newer scan: kept as it is
	asOf     map[asset.UnitKey]time.Time
	replace  map[asset.UnitKey]bool
	snapshot *snapshot.File
}

// PlanImport verifies a snapshot (the whole file: nothing is written when
// it is damaged) and decides unit by unit what importing it does: a unit
// the snapshot completed replaces the store's unless the store holds a
// newer scan of it; a unit that only failed in the snapshot changes
// nothing. A unit with assets but no scan record counts as completed when
// the snapshot was created.
func (c *Cycle) PlanImport(f *snapshot.File) (*ImportPlan, error) {
	p := &ImportPlan{File: f.Name, asOf: map[asset.UnitKey]time.Time{}, replace: map[asset.UnitKey]bool{}, snapshot: f}
	failed := map[asset.UnitKey]bool{}
	withAssets := map[asset.UnitKey]bool{}
	err := f.Read(snapshot.Visitor{
		Manifest: func(m *snapshot.Manifest) error { p.Manifest = m; return nil },
		Scan: func(sc *asset.Scan) error {
			for _, u := range sc.Units {
				switch u.Status {
				case asset.UnitComplete:
					if sc.Started.After(p.asOf[u.UnitKey]) {
						p.asOf[u.UnitKey] = sc.Started
					}
				case asset.UnitFailed:
					failed[u.UnitKey] = true
				}
			}
			return nil
		},
		Asset: func(a *asset.Asset) error { withAssets[snapshot.UnitOf(a)] = true; return nil },
	})
	if err != nil {
		return nil, err
	}
	for u := range withAssets {
		if _, ok := p.asOf[u]; !ok {
			p.asOf[u] = p.Manifest.CreatedAt
		}
	}
	stored, err := c.storeUnitTimes()
	if err != nil {
		return nil, err
	}
	for u, t := range p.asOf {
		if st, ok := stored[u]; ok && st.After(t) {
			p.Newer = append(p.Newer, u)
			continue
		}
		p.replace[u] = true
		p.Replace = append(p.Replace, u)
		if t.After(p.AsOf) {
			p.AsOf = t
		}
	}
	for u := range failed {
		if _, ok := p.asOf[u]; !ok {
			p.Failed = append(p.Failed, u)
		}
	}
	sortUnits(p.Replace)
	sortUnits(p.Failed)
	sortUnits(p.Newer)
	if p.AsOf.IsZero() {
		p.AsOf = p.Manifest.CreatedAt
	}
	sum := f.Checksum()
	p.ScanID = "import-" + hex.EncodeToString(sum[:8])
	return p, nil
}

// storeUnitTimes is, per unit, the start of the store's newest scan that
// completed it.
func (c *Cycle) storeUnitTimes() (map[asset.UnitKey]time.Time, error) {
	scans, err := c.Store.Scans(0)
	if err != nil {
		return nil, fmt.Errorf("read scans: %w", err)
	}
	out := map[asset.UnitKey]time.Time{}
	for i := range scans {
		for _, u := range scans[i].Units {
			if u.Status == asset.UnitComplete && scans[i].Started.After(out[u.UnitKey]) {
				out[u.UnitKey] = scans[i].Started
			}
		}
	}
	return out, nil
}

func sortUnits(us []asset.UnitKey) {
	sort.Slice(us, func(i, j int) bool { return us[i].String() < us[j].String() })
}

// Import applies a planned snapshot as one cycle run: the replaced units
// are stored as a scan that completed them would store them, failed units
// are recorded and change nothing, then the store's own policies judge
// the result and the lifecycle runs, exactly as after a scan. Importing
// the same file again changes nothing more.
func (c *Cycle) Import(ctx context.Context, p *ImportPlan, by string, progress func(Progress)) (*Result, error) {
	return c.Run(ctx, &importSource{p: p}, RunOptions{Source: "import", By: by}, progress)
}

// importSource replays a snapshot's units through the cycle.
type importSource struct{ p *ImportPlan }

func (s *importSource) ScanIdentity() (string, time.Time) { return s.p.ScanID, s.p.AsOf }

func (s *importSource) Units() []asset.UnitKey {
	out := append([]asset.UnitKey{}, s.p.Replace...)
	return append(out, s.p.Failed...)
}

func (s *importSource) Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error {
	for _, u := range s.p.Failed {
		handle(asset.Unit{UnitKey: u, Status: asset.UnitFailed, Error: "failed in the imported snapshot"}, nil)
	}
	done := map[asset.UnitKey]bool{}
	var cur asset.UnitKey
	var batch []asset.Asset
	emit := func() {
		if s.p.replace[cur] && !done[cur] {
			handle(asset.Unit{UnitKey: cur, Status: asset.UnitComplete, Assets: len(batch)}, batch)
			done[cur] = true
		}
		batch = nil
	}
	err := s.p.snapshot.Read(snapshot.Visitor{Asset: func(a *asset.Asset) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		u := snapshot.UnitOf(a)
		if u != cur {
			if cur != (asset.UnitKey{}) {
				emit()
			}
			cur = u
		}
		if s.p.replace[u] {
			batch = append(batch, *a)
		}
		return nil
	}})
	if cur != (asset.UnitKey{}) && err == nil {
		emit()
	}
	if err != nil {
		return fmt.Errorf("import %s: %w", s.p.File, err)
	}
	for _, u := range s.p.Replace { // completed with no assets: everything in it is gone
		if !done[u] {
			handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete}, nil)
		}
	}
	return nil
}
