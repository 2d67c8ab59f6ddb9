package cycle

import (
	"github.com/vigil-sec/vigil/rules"
)

// erroredAssets is the set of assets some check could not judge.
func erroredAssets(errs []rules.PolicyErrors) map[string]bool {
	out := map[string]bool{}
	for _, pe := range errs {
		for _, id := range pe.Assets {
			out[id] = true
		}
	}
	return out
}

// logEvalErrors writes one log line per policy whose check errored: how
// many assets it could not judge and the first error.
func (c *Cycle) logEvalErrors(errs []rules.PolicyErrors) {
	for _, pe := range errs {
		c.logf("evaluation error: policy %s could not judge %d asset(s); first %s: %s",
			pe.PolicyID, pe.Count(), pe.Asset, pe.Message)
	}
}

// EvalErrors returns the last evaluation's errors by policy; an error
// reading them is logged and gives none.
func (c *Cycle) EvalErrors() []rules.PolicyErrors {
	errs, err := c.Store.EvalErrors()
	if err != nil {
		c.logf("evaluation errors: %v", err)
		return nil
	}
	return errs
}
