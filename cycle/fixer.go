package cycle

import (
	"context"
	"fmt"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
)

// Fixer reaches AWS for fixes: the actions, credentials per account, and a
// way to re-collect one resource after a fix.
type Fixer struct {
	Registry  *fix.Registry
	Collector *scanner.Registry
	Endpoint  string
	Base      aws.Config
	Accounts  []config.Account

	mu      sync.Mutex
	targets map[string]scanner.Target
}

// target returns credentials for an account, resolving the configured
// accounts once.
func (f *Fixer) target(ctx context.Context, account string) (scanner.Target, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.targets == nil {
		ts, err := scanner.ResolveTargets(ctx, f.Base, f.Accounts)
		if err != nil {
			return scanner.Target{}, fmt.Errorf("resolve accounts: %w", err)
		}
		f.targets = map[string]scanner.Target{}
		for _, t := range ts {
			f.targets[t.Account] = t
		}
	}
	t, ok := f.targets[account]
	if !ok {
		return scanner.Target{}, fmt.Errorf("no credentials reach account %s (add it to accounts in config.yaml)", account)
	}
	return t, nil
}

// fixTarget builds the fix.Target of an asset.
func (f *Fixer) fixTarget(ctx context.Context, a *asset.Asset, params map[string]any) (fix.Target, error) {
	t, err := f.target(ctx, a.Account)
	if err != nil {
		return fix.Target{}, err
	}
	cfg := t.Config.Copy()
	cfg.Region = regionOf(a)
	return fix.Target{Asset: a, Config: cfg, Endpoint: f.Endpoint, Params: params}, nil
}

// recollect reads one resource again through its collector: the unit it
// lives in is listed and the asset picked by ID. It returns nil when the
// resource is gone.
func (f *Fixer) recollect(ctx context.Context, a *asset.Asset, regions []string) (*asset.Asset, error) {
	col, ok := f.Collector.Get(a.Type)
	if !ok {
		return nil, fmt.Errorf("no collector for %s", a.Type)
	}
	t, err := f.target(ctx, a.Account)
	if err != nil {
		return nil, err
	}
	cfg := t.Config.Copy()
	cfg.Region = regionOf(a)
	unitRegion := a.Region
	if col.Global() {
		unitRegion = asset.Global
	}
	if len(regions) == 0 {
		regions = []string{cfg.Region}
	}
	s := &scanner.Session{Config: cfg, Account: a.Account, Region: unitRegion, Regions: regions, Endpoint: f.Endpoint}
	list, err := col.Collect(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("re-read %s: %w", a.ID, err)
	}
	for i := range list {
		if list[i].ID == a.ID {
			n := list[i]
			if n.Account == "" {
				n.Account = a.Account
			}
			if n.Region == "" {
				n.Region = a.Region
			}
			n.Source, n.FirstSeen = a.Source, a.FirstSeen
			return &n, nil
		}
	}
	return nil, nil
}

// regionOf is the API region of an asset: its own, or us-east-1 for global ones.
func regionOf(a *asset.Asset) string {
	if a.Region == "" || a.Region == asset.Global {
		return "us-east-1"
	}
	return a.Region
}

// NewOfflineFixer builds a fixer whose actions and collectors need no AWS
// credentials (the demo's simulated world): every account resolves to an
// empty target.
func NewOfflineFixer(actions *fix.Registry, collectors *scanner.Registry, accounts []string) *Fixer {
	f := &Fixer{Registry: actions, Collector: collectors, targets: map[string]scanner.Target{}}
	for _, a := range accounts {
		f.targets[a] = scanner.Target{Account: a, Name: a}
	}
	return f
}

// SetFixer installs the fixer fixes go through (the demo's simulated world,
// or AWS).
func (c *Cycle) SetFixer(f *Fixer) { c.deps.Fixer = f }
