package cycle

import (
	"fmt"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// evalCounts is what one evaluation changed, and the checks it could not
// judge.
type evalCounts struct {
	opened, closed, exempted int
	errors                   []rules.PolicyErrors
	events                   []Event // opened and closed, when someone listens
}

// inventory is the stored inventory loaded for one evaluation.
type inventory struct {
	sums   []asset.Summary
	assets []*asset.Asset
	byID   map[string]*asset.Asset
}

func (c *Cycle) loadInventory() (*inventory, error) {
	sums, err := c.Store.AllSummaries()
	if err != nil {
		return nil, fmt.Errorf("load summaries: %w", err)
	}
	inv := &inventory{sums: sums, byID: make(map[string]*asset.Asset, len(sums))}
	types := map[string]bool{}
	for i := range sums {
		types[sums[i].Type] = true
	}
	for t := range types {
		err := c.Store.AssetsOfType(t, func(a *asset.Asset) error {
			inv.assets = append(inv.assets, a)
			inv.byID[a.ID] = a
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load %s assets: %w", t, err)
		}
	}
	return inv, nil
}

// unitOf is the scan unit an asset belongs to.
func unitOf(a *asset.Asset) asset.UnitKey {
	r := a.Region
	if asset.GlobalTypes[a.Type] {
		r = asset.Global
	}
	return asset.UnitKey{Account: a.Account, Region: r, Type: a.Type}
}

// evaluate judges the inventory, applies the lifecycle and writes today's
// trend points. completed nil means an evaluation without a scan: every
// result counts.
func (c *Cycle) evaluate(completed map[asset.UnitKey]bool, deleted []asset.Summary, by string) (evalCounts, error) {
	var n evalCounts
	ps, _, err := c.Policies()
	if err != nil {
		return n, err
	}
	inv, err := c.loadInventory()
	if err != nil {
		return n, err
	}
	grps, err := c.groupsFor(inv.sums)
	if err != nil {
		return n, err
	}
	eng, errs := c.engine(ps, grps)
	for _, e := range errs {
		c.logf("policy: %v", e)
	}
	if eng == nil {
		return n, fmt.Errorf("no policy engine: %v", errs)
	}
	hash := make(map[string]uint64, len(inv.sums))
	for i := range inv.sums {
		hash[inv.sums[i].ID] = inv.sums[i].Hash
	}
	marks, err := c.Store.EvalStates()
	if err != nil {
		return n, fmt.Errorf("read evaluation marks: %w", err)
	}
	mark := func(a *asset.Asset) uint64 { return hash[a.ID]*31 ^ eng.Fingerprint(a.Type) }
	unchanged := func(a *asset.Asset) bool {
		m, ok := marks[a.ID]
		return ok && m == mark(a)
	}
	// Types with an asset added or changed since its last evaluation, or
	// deleted now: volatile checks (related(), account()) on unchanged
	// assets re-run only when a type they read is among them.
	changedTypes := map[string]bool{}
	for _, a := range inv.assets {
		if !changedTypes[a.Type] && !unchanged(a) {
			changedTypes[a.Type] = true
		}
	}
	for _, s := range deleted {
		changedTypes[s.Type] = true
	}
	results := eng.EvaluateChanged(inv.assets, rules.Changes{Unchanged: unchanged, Types: changedTypes},
		rules.NewIndex(inv.assets), 0)
	n.errors = rules.CollectErrors(results)
	c.logEvalErrors(n.errors)

	var completedIDs map[string]bool
	if completed != nil {
		completedIDs = map[string]bool{}
		for _, a := range inv.assets {
			if completed[unitOf(a)] {
				completedIDs[a.ID] = true
			}
		}
	}
	deletedIDs := map[string]bool{}
	for _, s := range deleted {
		deletedIDs[s.ID] = true
	}
	current, err := c.Store.Violations(db.ViolationFilter{})
	if err != nil {
		return n, fmt.Errorf("read violations: %w", err)
	}
	excs, err := c.Store.Exceptions()
	if err != nil {
		return n, fmt.Errorf("read exceptions: %w", err)
	}
	byID := map[string]*rules.Policy{}
	disabled := map[string]bool{}
	for _, p := range ps {
		byID[p.ID] = p
		if p.Disabled {
			disabled[p.ID] = true
		}
	}
	c.step(StepEvaluateLifecyle)
	now := c.now()
	changed := rules.Reconcile(rules.ReconcileInput{
		Current: current, Results: results, Policies: byID,
		Asset:     func(id string) *asset.Asset { return inv.byID[id] },
		Completed: completedIDs, Deleted: deletedIDs, Disabled: disabled,
		Exceptions: excs, Now: now, By: by,
	})
	if err := c.Store.PutViolations(changed); err != nil {
		return n, fmt.Errorf("store violations: %w", err)
	}
	n.events = c.transitions(current, changed)
	for _, v := range changed {
		switch v.Status {
		case rules.StatusOpen:
			n.opened++
		case rules.StatusClosed:
			n.closed++
		case rules.StatusExempt:
			n.exempted++
		}
	}
	if err := c.Store.PutEvalErrors(n.errors); err != nil {
		return n, err
	}
	// An asset a check could not judge gets no mark: the next evaluation
	// judges it again with every policy instead of keeping the error as if
	// it were an answer.
	errored := erroredAssets(n.errors)
	newMarks := make(map[string]uint64, len(inv.assets))
	for _, a := range inv.assets {
		if (completedIDs == nil || completedIDs[a.ID]) && !errored[a.ID] {
			newMarks[a.ID] = mark(a)
		}
	}
	if err := c.Store.PutEvalStates(newMarks); err != nil {
		return n, fmt.Errorf("store evaluation marks: %w", err)
	}
	if err := c.Store.DropEvalStates(keys(errored)); err != nil {
		return n, err
	}
	c.gen.Add(1)
	c.step(StepLifecycleTrend)
	all := mergeViolations(current, changed)
	if err := c.writeTrend(ps, grps, inv, all, n.errors, now); err != nil {
		return n, err
	}
	return n, nil
}

// engine compiles the policies with the config's parameters.
func (c *Cycle) engine(ps []*rules.Policy, grps []groupDef) (*rules.Engine, []error) {
	params := map[string]map[string]any{}
	for id, pc := range c.Config.Policies {
		if len(pc.Params) > 0 {
			params[id] = pc.Params
		}
	}
	if len(c.Config.RequiredTags) > 0 {
		if params["tag-required"] == nil {
			params["tag-required"] = map[string]any{}
		}
		tags := make([]any, len(c.Config.RequiredTags))
		for i, t := range c.Config.RequiredTags {
			tags[i] = t
		}
		params["tag-required"]["tags"] = tags
	}
	return rules.NewEngine(ps, rules.Config{Params: params, Groups: defsOf(grps), Now: c.deps.Now})
}

// mergeViolations overlays changed violations on the current ones.
func mergeViolations(current, changed []rules.Violation) []rules.Violation {
	idx := make(map[string]int, len(current))
	out := make([]rules.Violation, len(current), len(current)+len(changed))
	copy(out, current)
	for i := range out {
		idx[out[i].ID] = i
	}
	for _, v := range changed {
		if i, ok := idx[v.ID]; ok {
			out[i] = v
		} else {
			out = append(out, v)
		}
	}
	return out
}
