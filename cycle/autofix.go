package cycle

import (
	"context"
	"fmt"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// AutofixBy is who unattended fixes are audited as.
const AutofixBy = "autofix"

// autofix applies the fixes of policies marked autofix to their open
// violations: only in allow-listed accounts, never to exempt violations, at
// most Config.Autofix.MaxPerCycle (default 10) attempts per cycle, so a
// failing fix cannot hammer the API.
func (c *Cycle) autofix(ctx context.Context) (int, error) {
	allowed := map[string]bool{}
	for _, a := range c.Config.Autofix.Accounts {
		allowed[a] = true
	}
	if len(allowed) == 0 {
		return 0, nil
	}
	limit := c.Config.Autofix.MaxPerCycle
	if limit <= 0 {
		limit = 10
	}
	ps, _, err := c.Policies()
	if err != nil {
		return 0, err
	}
	fixed, attempts := 0, 0
	var firstErr error
	for _, p := range ps {
		if !p.Autofix || p.Disabled || p.Fix == "" {
			continue
		}
		vs, err := c.Store.Violations(db.ViolationFilter{PolicyID: p.ID, Status: []string{rules.StatusOpen}})
		if err != nil {
			return fixed, fmt.Errorf("list violations of %s: %w", p.ID, err)
		}
		for _, v := range vs {
			if attempts >= limit {
				return fixed, firstErr
			}
			if !allowed[v.Account] || v.Status != rules.StatusOpen {
				continue
			}
			plan, err := c.PlanFix(ctx, v.ID)
			if err != nil {
				c.logf("autofix plan %s: %v", v.ID, err)
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			if plan.Noop {
				continue
			}
			attempts++
			if _, err := c.ApplyFix(ctx, plan, ScheduleActor()); err != nil {
				c.logf("autofix apply %s: %v", v.ID, err)
				if firstErr == nil {
					firstErr = err
				}
				continue
			}
			fixed++
		}
	}
	return fixed, firstErr
}
