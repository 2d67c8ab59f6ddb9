package cycle

import (
	"fmt"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// groupDef is a group with its compiled matcher.
type groupDef struct {
	groups.Group
	m *groups.Matcher
}

func defsOf(gs []groupDef) []groups.Group {
	out := make([]groups.Group, len(gs))
	for i, g := range gs {
		out[i] = g.Group
	}
	return out
}

// groupsFor lists the built-in groups for the accounts and regions in sums,
// then the config's and the stored ones (a later definition of a name wins).
func (c *Cycle) groupsFor(sums []asset.Summary) ([]groupDef, error) {
	accounts, regions := map[string]bool{}, map[string]bool{}
	for i := range sums {
		accounts[sums[i].Account] = true
		if sums[i].Region != "" {
			regions[sums[i].Region] = true
		}
	}
	all := groups.Builtins(keys(accounts), keys(regions))
	for _, g := range c.Config.Groups {
		g.Source = "config"
		all = append(all, g)
	}
	stored, err := c.Store.Groups()
	if err != nil {
		return nil, fmt.Errorf("read groups: %w", err)
	}
	for _, g := range stored {
		g.Source = "store"
		all = append(all, g)
	}
	pos := map[string]int{}
	var out []groupDef
	for _, g := range all {
		m, err := groups.Compile(g)
		if err != nil {
			c.logf("group %s: %v", g.Name, err)
			continue
		}
		if i, ok := pos[g.Name]; ok {
			out[i] = groupDef{g, m}
			continue
		}
		pos[g.Name] = len(out)
		out = append(out, groupDef{g, m})
	}
	return out, nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// members returns the summaries of a group's members; doc reads an asset's
// document when the summary cannot decide.
func members(g groupDef, sums []asset.Summary, doc func(id string) map[string]any) []*asset.Summary {
	var out []*asset.Summary
	for i := range sums {
		s := &sums[i]
		ok, need := g.m.MatchSummary(s)
		if need && doc != nil {
			if d := doc(s.ID); d != nil {
				ok = g.m.Match(d)
			}
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

// scoreGroup computes a group's compliance from its members and their
// violations, with PacBot's math (rules.ComputeScores).
func (c *Cycle) scoreGroup(ps []*rules.Policy, name, domain string, mem []*asset.Summary, vs []rules.Violation) rules.Scores {
	inGroup := make(map[string]bool, len(mem))
	byType := map[string]int{}
	for _, s := range mem {
		inGroup[s.ID] = true
		byType[s.Type]++
	}
	evaluated := map[string]int{}
	for _, p := range ps {
		for _, t := range p.Resources {
			evaluated[p.ID] += byType[t]
		}
	}
	var mine []rules.Violation
	for _, v := range vs {
		if v.Status != rules.StatusClosed && inGroup[v.AssetID] {
			mine = append(mine, v)
		}
	}
	return rules.ComputeScores(rules.ScoreInput{Group: name, Domain: domain, Policies: ps,
		Evaluated: evaluated, Violations: mine, Weights: c.Config.Weights})
}

// writeTrend stores today's point of every group and prunes points older
// than 500 days (at least 400 are kept, as promised).
func (c *Cycle) writeTrend(ps []*rules.Policy, grps []groupDef, inv *inventory, vs []rules.Violation, now time.Time) error {
	doc := func(id string) map[string]any {
		if a := inv.byID[id]; a != nil {
			return a.Doc()
		}
		return nil
	}
	for _, g := range grps {
		mem := members(g, inv.sums, doc)
		for _, domain := range domainsOf(ps) {
			s := c.scoreGroup(ps, g.Name, domain, mem, vs)
			if err := c.Store.PutTrendPoint(rules.TrendPointFrom(s, now, len(mem))); err != nil {
				return fmt.Errorf("store trend point of %s: %w", g.Name, err)
			}
		}
	}
	if err := c.Store.PruneTrend(now.AddDate(0, 0, -500)); err != nil {
		return fmt.Errorf("prune trend: %w", err)
	}
	return nil
}

// domainsOf lists the compliance domains of the policies.
func domainsOf(ps []*rules.Policy) []string {
	seen := map[string]bool{}
	for _, p := range ps {
		d := p.Domain
		if d == "" {
			d = rules.DefaultDomain
		}
		seen[d] = true
	}
	if len(seen) == 0 {
		seen[rules.DefaultDomain] = true
	}
	return keys(seen)
}
