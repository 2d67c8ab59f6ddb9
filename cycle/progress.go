// Package cycle owns vigil's one cycle: scan -> store -> evaluate ->
// lifecycle -> trend point -> autofix -> notify. The console and the headless
// commands both call it.
package cycle

import (
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/internal/awsapi"
	"github.com/vigil-sec/vigil/rules"
)

// Phases of a cycle, in order.
const (
	PhaseScan     = "scan"
	PhaseEvaluate = "evaluate"
	PhaseAutofix  = "autofix"
	PhaseDone     = "done"
)

// Progress is one progress report of a running cycle.
type Progress struct {
	ScanID string
	Phase  string
	Done   int         // units finished so far
	Total  int         // units planned
	Unit   *asset.Unit // the unit that just finished, if any
	Assets int         // assets collected so far
	// Requests are the scan's AWS request counts (done, in flight,
	// throttled per service); nil when the source does not report them.
	Requests *awsapi.Stats
}

// Result is what a finished cycle did.
type Result struct {
	Scan     *asset.Scan
	Opened   int // violations opened (or re-opened)
	Closed   int
	Exempted int
	Fixed    int // unattended fixes applied
	// EvalErrors are the policies whose check could not judge some asset
	// (neither pass nor fail); any makes the run partial.
	EvalErrors []rules.PolicyErrors
	// PolicyErrors are the policy files that did not load (the others ran).
	PolicyErrors []error
}

// Partial reports whether the run left something unjudged: a unit that
// failed, a check that errored or a policy file that did not load.
func (r *Result) Partial() bool {
	return r.Scan != nil && r.Scan.Status == asset.ScanPartial || len(r.EvalErrors) > 0 || len(r.PolicyErrors) > 0
}
