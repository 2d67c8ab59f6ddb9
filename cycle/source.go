package cycle

import (
	"context"
	"sync/atomic"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/awsapi"
	"github.com/vigil-sec/vigil/scanner"
)

// Source produces assets unit by unit: the AWS scanner, the demo generator,
// or an importer. Run calls handle serially, once per unit.
type Source interface {
	Units() []asset.UnitKey
	Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error
}

// AWSSource scans AWS accounts with the scanner's runner.
type AWSSource struct {
	Runner  *scanner.Runner
	Targets []scanner.Target

	budget atomic.Pointer[awsapi.Budget] // the running scan's request budget
}

// RequestStatser is a source that can tell how its requests are going
// (done, in flight, throttled per service) while it runs.
type RequestStatser interface {
	RequestStats() (awsapi.Stats, bool)
}

// RequestStats returns the request counts of the running (or last) scan;
// false before any scan started.
func (a *AWSSource) RequestStats() (awsapi.Stats, bool) {
	b := a.budget.Load()
	if b == nil {
		return awsapi.Stats{}, false
	}
	return b.Stats(), true
}

// Units lists the (account, region, type) units the scan will run.
func (a *AWSSource) Units() []asset.UnitKey { return a.Runner.Plan(a.Targets) }

// Run scans every unit, with a request budget of its own (the runner's
// MaxInFlight) whose counts RequestStats reports.
func (a *AWSSource) Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error {
	r := *a.Runner
	if r.Budget == nil {
		r.Budget = awsapi.NewBudget(r.MaxInFlight)
	}
	a.budget.Store(r.Budget)
	return r.Run(ctx, a.Targets, handle)
}
