package scanner

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/awsapi"
)

// DefaultConcurrency is how many units run at once when Runner.Concurrency
// is 0. Units are I/O bound: most of their time is spent waiting on AWS.
const DefaultConcurrency = 8

// ErrCancelled marks units that were stopped, or never started, because the
// scan was cancelled.
var ErrCancelled = errors.New("cancelled")

// Runner works through (account, region, type) units concurrently and hands
// each finished unit to its caller.
type Runner struct {
	Registry    *Registry
	Concurrency int              // units at once; 0 means DefaultConcurrency
	MaxInFlight int              // AWS requests in flight at once, all units together; 0 means awsapi.DefaultMaxInFlight
	Budget      *awsapi.Budget   // the request budget to spend (shared with a progress display); nil: a new one of MaxInFlight per Run
	Regions     []string         // regions of regional types; empty: each target's config region
	Types       []string         // types to scan; nil means every registered type
	Endpoint    string           // AWS_ENDPOINT_URL, passed to sessions
	Now         func() time.Time // the scan's clock; nil means time.Now
	Shard       Shard            // only this shard's units (zero: all)
}

// Plan lists the units a scan of targets consists of, in a stable order:
// per account, per type, one unit for a global type and one per region for
// a regional one. Types without a registered collector are left out, an
// account listed twice is scanned once (its first target), and units
// outside the runner's shard are left to the other shards.
func (r *Runner) Plan(targets []Target) []asset.UnitKey {
	var units []asset.UnitKey
	for _, t := range uniqueTargets(targets) {
		regions := r.regionsFor(t)
		for _, typ := range r.types() {
			c, ok := r.Registry.Get(typ)
			if !ok {
				continue
			}
			if c.Global() {
				if u := (asset.UnitKey{Account: t.Account, Region: asset.Global, Type: typ}); r.Shard.Has(u) {
					units = append(units, u)
				}
				continue
			}
			for _, region := range regions {
				if u := (asset.UnitKey{Account: t.Account, Region: region, Type: typ}); r.Shard.Has(u) {
					units = append(units, u)
				}
			}
		}
	}
	return units
}

func (r *Runner) types() []string {
	if r.Types != nil {
		return r.Types
	}
	return r.Registry.Types()
}

// regionsFor returns the regions scanned in t's account: Regions, or the
// region of t's config when none are set.
func (r *Runner) regionsFor(t Target) []string {
	if len(r.Regions) > 0 {
		return r.Regions
	}
	if t.Config.Region != "" {
		return []string{t.Config.Region}
	}
	return []string{DefaultRegion}
}

// uniqueTargets drops targets whose account an earlier target already
// reaches (a role assumed back into the default account).
func uniqueTargets(targets []Target) []Target {
	seen := make(map[string]bool, len(targets))
	out := make([]Target, 0, len(targets))
	for _, t := range targets {
		if !seen[t.Account] {
			seen[t.Account] = true
			out = append(out, t)
		}
	}
	return out
}

// unitResult travels from a worker to the goroutine that calls handle.
type unitResult struct {
	unit   asset.Unit
	assets []asset.Asset
}

// Run scans every planned unit of targets, at most Concurrency at once, and
// every AWS request of every unit spends one request budget (Budget, else
// MaxInFlight), so that the budget and not the number of units decides how
// many requests are in flight. It calls handle once per unit, never two calls at the same time. A complete
// unit carries all its assets; a failed one carries its error and no assets.
// When ctx is cancelled no new unit starts and every unfinished unit is
// reported failed as cancelled; Run then returns ctx's error.
func (r *Runner) Run(ctx context.Context, targets []Target, handle func(u asset.Unit, assets []asset.Asset)) error {
	plan := r.Plan(targets)
	byAccount := make(map[string]Target, len(targets))
	for _, t := range uniqueTargets(targets) {
		byAccount[t.Account] = t
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	scanTime := now().UTC()
	workers := r.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	budget := r.Budget
	if budget == nil {
		budget = awsapi.NewBudget(r.MaxInFlight)
	}

	jobs := make(chan asset.UnitKey)
	// Buffered so workers move on to their next unit while handle is still
	// storing an earlier one.
	results := make(chan unitResult, workers)
	var wg sync.WaitGroup
	for range min(workers, max(len(plan), 1)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for key := range jobs {
				results <- r.runUnit(ctx, budget, byAccount[key.Account], key, scanTime)
			}
		}()
	}
	go func() {
		defer close(results)
		defer wg.Wait()
		defer close(jobs)
		for i, key := range plan {
			if ctx.Err() == nil {
				select {
				case jobs <- key:
					continue
				case <-ctx.Done():
				}
			}
			// Cancelled: this unit and every later one never start.
			for _, rest := range plan[i:] {
				results <- failedUnit(rest, 0, ErrCancelled)
			}
			return
		}
	}()
	for res := range results {
		handle(res.unit, res.assets)
	}
	return ctx.Err()
}

// runUnit collects one unit, its clients spending budget, and fills in the
// identity defaults the collector left out.
func (r *Runner) runUnit(ctx context.Context, budget *awsapi.Budget, t Target, key asset.UnitKey, scanTime time.Time) (res unitResult) {
	start := time.Now()
	defer func() {
		if p := recover(); p != nil {
			res = failedUnit(key, time.Since(start), fmt.Errorf("collector panicked: %v", p))
		}
	}()
	c, ok := r.Registry.Get(key.Type)
	if !ok {
		return failedUnit(key, 0, fmt.Errorf("no collector for type %q", key.Type))
	}
	if ctx.Err() != nil {
		return failedUnit(key, 0, ErrCancelled)
	}
	cfg := t.Config.Copy()
	cfg.Region = key.Region
	if key.Region == asset.Global {
		cfg.Region = DefaultRegion
	}
	budget.Apply(&cfg, key.Account)
	s := &Session{Config: cfg, Account: key.Account, Region: key.Region, Regions: r.regionsFor(t), Endpoint: r.Endpoint, Now: scanTime, Detail: budget.Max()}
	assets, err := c.Collect(ctx, s)
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w: %w", ErrCancelled, err)
		}
		return failedUnit(key, time.Since(start), err)
	}
	for i := range assets {
		a := &assets[i]
		if a.Type == "" {
			a.Type = key.Type
		}
		if a.Account == "" {
			a.Account = key.Account
		}
		if a.Region == "" {
			a.Region = key.Region
		}
		if a.Source == "" {
			a.Source = "aws"
		}
		a.FirstSeen, a.LastSeen = scanTime, scanTime
	}
	return unitResult{
		unit:   asset.Unit{UnitKey: key, Status: asset.UnitComplete, Assets: len(assets), Duration: time.Since(start)},
		assets: assets,
	}
}

func failedUnit(key asset.UnitKey, d time.Duration, err error) unitResult {
	return unitResult{unit: asset.Unit{UnitKey: key, Status: asset.UnitFailed, Error: err.Error(), Duration: d}}
}
