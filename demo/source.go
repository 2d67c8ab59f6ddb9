package demo

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// Source is a scan source over the demo inventory, for the console's
// background scan without AWS. Each run replays the inventory unit by unit
// with a little drift (a few assets change, one appears, one disappears), so
// evaluation has something to do. It is safe for concurrent use.
type Source struct {
	now   func() time.Time
	delay time.Duration

	mu     sync.Mutex
	anchor time.Time     // the inventory's timestamps are relative to this day
	base   []asset.Asset // generated at the first Units or Run of the day
	units  []asset.UnitKey
	runs   int
}

// NewSource returns a demo source that reads the clock through now and
// sleeps delay between units so progress is visible. The inventory's
// timestamps are relative to the start of the current UTC day, so runs on
// the same day differ only by their drift and unchanged assets keep their
// document hash; the drift depends on the run's minute and on how many
// runs this source made, so a source built per cycle still drifts.
func NewSource(now func() time.Time, delay time.Duration) *Source {
	return &Source{now: now, delay: delay}
}

// init generates the base inventory of the day at now; s.mu must be held.
func (s *Source) init(now time.Time) {
	day := now.UTC().Truncate(24 * time.Hour)
	if s.base != nil && day.Equal(s.anchor) {
		return
	}
	s.anchor = day
	s.base = Inventory(day)
	s.units = unitsOf(s.base)
}

// unitsOf lists every (account, region, type) unit of an inventory:
// regional types in every region, global types once per account, and
// vulnerability findings per account and region. Units may be empty.
func unitsOf(inv []asset.Asset) []asset.UnitKey {
	var accounts []string
	for _, a := range inv {
		if a.Type == asset.TypeAccount {
			accounts = append(accounts, a.Account)
		}
	}
	types := append(slices.Clone(asset.AWSTypes), asset.TypeVulnFinding)
	var out []asset.UnitKey
	for _, acc := range accounts {
		for _, typ := range types {
			if asset.GlobalTypes[typ] {
				out = append(out, asset.UnitKey{Account: acc, Region: asset.Global, Type: typ})
				continue
			}
			for _, region := range Regions() {
				out = append(out, asset.UnitKey{Account: acc, Region: region, Type: typ})
			}
		}
	}
	return out
}

// Units lists the units every run reports, in the order it reports them.
func (s *Source) Units() []asset.UnitKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init(s.now())
	return slices.Clone(s.units)
}

// Run reports every unit to handle, serially, with that run's drifted
// assets; it sleeps the source's delay before each unit and stops early,
// returning the context's error, when ctx ends.
func (s *Source) Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error {
	s.mu.Lock()
	now := s.now().UTC()
	s.init(now)
	s.runs++
	run, units := s.runs, s.units
	inv := drift(s.base, mix64(uint64(now.Unix()/60))^uint64(run), now)
	s.mu.Unlock()

	byUnit := make(map[asset.UnitKey][]asset.Asset, len(units))
	for _, a := range inv {
		k := asset.UnitKey{Account: a.Account, Region: a.Region, Type: a.Type}
		if asset.GlobalTypes[a.Type] {
			k.Region = asset.Global
		}
		byUnit[k] = append(byUnit[k], a)
	}
	timer := time.NewTimer(0)
	defer timer.Stop()
	<-timer.C
	for _, u := range units {
		if s.delay > 0 {
			timer.Reset(s.delay)
			select {
			case <-ctx.Done():
				return fmt.Errorf("demo scan run %d: %w", run, ctx.Err())
			case <-timer.C:
			}
		} else if err := ctx.Err(); err != nil {
			return fmt.Errorf("demo scan run %d: %w", run, err)
		}
		assets := byUnit[u]
		handle(asset.Unit{UnitKey: u, Status: asset.UnitComplete, Assets: len(assets), Duration: s.delay}, assets)
	}
	return nil
}
