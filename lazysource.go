package main

import (
	"context"
	"fmt"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/internal/awsapi"
	"github.com/vigil-sec/vigil/scanner"
)

// lazyAWSSource resolves AWS credentials, accounts and regions when the
// console starts a scan, not when it opens (so the console opens offline).
type lazyAWSSource struct {
	ctx   context.Context
	cfg   *config.Config
	e     *env
	inner *cycle.AWSSource
	err   error
}

func (l *lazyAWSSource) resolve() {
	if l.inner != nil || l.err != nil {
		return
	}
	awsCfg, err := scanner.LoadAWSConfig(l.ctx, "")
	if err != nil {
		l.err = err
		return
	}
	targets, err := scanner.ResolveTargets(l.ctx, awsCfg, l.cfg.Accounts)
	if err != nil {
		l.err = err
		return
	}
	regions := l.cfg.Regions
	if len(regions) == 0 {
		if regions, err = scanner.EnabledRegions(l.ctx, awsCfg); err != nil {
			l.err = fmt.Errorf("list enabled regions (or set regions in config.yaml): %w", err)
			return
		}
	}
	r := &scanner.Runner{Registry: scanner.Default(), Concurrency: l.cfg.Concurrency, MaxInFlight: l.cfg.Scan.MaxInFlight, Regions: regions,
		Endpoint: scanner.EndpointFromEnv(), Now: l.e.now}
	l.inner = &cycle.AWSSource{Runner: r, Targets: targets}
}

// Units lists the scan's units (none when AWS cannot be reached).
func (l *lazyAWSSource) Units() []asset.UnitKey {
	l.resolve()
	if l.inner == nil {
		return nil
	}
	return l.inner.Units()
}

// Run scans, or returns why it cannot.
func (l *lazyAWSSource) Run(ctx context.Context, handle func(asset.Unit, []asset.Asset)) error {
	l.resolve()
	if l.err != nil {
		return l.err
	}
	return l.inner.Run(ctx, handle)
}

// RequestStats reports the running scan's AWS requests (false before one).
func (l *lazyAWSSource) RequestStats() (awsapi.Stats, bool) {
	if l.inner == nil {
		return awsapi.Stats{}, false
	}
	return l.inner.RequestStats()
}
