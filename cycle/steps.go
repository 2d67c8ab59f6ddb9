package cycle

// Step boundaries of a cycle: the points where a scan has finished one step
// and not begun the next. Deps.AfterStep is called at each, so tests can
// kill the process exactly there (see the crash tests at the repo root).
const (
	StepCollectStore     = "collect-store"      // a unit listed, not stored yet
	StepStoreEvaluate    = "store-evaluate"     // every unit stored, nothing evaluated
	StepEvaluateLifecyle = "evaluate-lifecycle" // policies judged, violations not written
	StepLifecycleTrend   = "lifecycle-trend"    // violations written, trend points not
	StepTrendComplete    = "trend-complete"     // trend points written, the scan not marked finished
)

// Steps lists the step boundaries in the order a cycle reaches them.
var Steps = [...]string{StepCollectStore, StepStoreEvaluate, StepEvaluateLifecyle, StepLifecycleTrend, StepTrendComplete}

// step reports reaching a step boundary to Deps.AfterStep.
func (c *Cycle) step(name string) {
	if c.deps.AfterStep != nil {
		c.deps.AfterStep(name)
	}
}
