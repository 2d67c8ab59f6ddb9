package cycle

import (
	"context"

	"github.com/vigil-sec/vigil/asset"
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
}

// Units lists the (account, region, type) units the scan will run.
func (a *AWSSource) Units() []asset.UnitKey { return a.Runner.Plan(a.Targets) }

// Run scans every unit.
func (a *AWSSource) Run(ctx context.Context, handle func(u asset.Unit, assets []asset.Asset)) error {
	return a.Runner.Run(ctx, a.Targets, handle)
}
