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
			m = groups.BrokenMatcher(g, err) // listed as broken, with no members
			g = m.Group()
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

// scoreCounts scores a group from its member count per type, its open
// and exempt violations and its members' evaluation errors (policy ID ->
// asset IDs).
func (c *Cycle) scoreCounts(ps []*rules.Policy, name, domain string, byType map[string]int, vs []rules.Violation, errs map[string][]string) rules.Scores {
	evaluated := map[string]int{}
	for _, p := range ps {
		for _, t := range p.Resources {
			evaluated[p.ID] += byType[t]
		}
	}
	return rules.ComputeScores(rules.ScoreInput{Group: name, Domain: domain, Policies: ps,
		Evaluated: evaluated, Violations: vs, Errors: errs, Weights: c.Config.Weights})
}

// tally is one group's member count per type and its live violations.
type tally struct {
	byType  map[string]int
	members int
	vs      []rules.Violation
}

// builtinTallies counts the built-in groups (all, account:*, region:*) in
// one pass over the summaries and one over the violations, instead of one
// pass per group.
func builtinTallies(sums []asset.Summary, vs []rules.Violation) map[string]*tally {
	out := map[string]*tally{}
	get := func(name string) *tally {
		t := out[name]
		if t == nil {
			t = &tally{byType: map[string]int{}}
			out[name] = t
		}
		return t
	}
	where := make(map[string][2]string, len(sums))
	for i := range sums {
		s := &sums[i]
		where[s.ID] = [2]string{s.Account, s.Region}
		for _, name := range [3]string{groups.All, "account:" + s.Account, "region:" + s.Region} {
			t := get(name)
			t.byType[s.Type]++
			t.members++
		}
	}
	for _, v := range vs {
		w, ok := where[v.AssetID]
		if !ok || v.Status == rules.StatusClosed {
			continue
		}
		for _, name := range [3]string{groups.All, "account:" + w[0], "region:" + w[1]} {
			get(name).vs = append(get(name).vs, v)
		}
	}
	return out
}

// writeTrend stores today's point of every group and prunes points older
// than 500 days (at least 400 are kept, as promised).
func (c *Cycle) writeTrend(ps []*rules.Policy, grps []groupDef, inv *inventory, vs []rules.Violation, evalErrs []rules.PolicyErrors, now time.Time) error {
	doc := func(id string) map[string]any {
		if a := inv.byID[id]; a != nil {
			return a.Doc()
		}
		return nil
	}
	builtin := builtinTallies(inv.sums, vs)
	for _, g := range grps {
		if g.Broken != "" {
			continue // no members to score; listed as broken instead
		}
		t, ok := builtin[g.Name]
		var errs map[string][]string
		if !ok || g.Source != "builtin" {
			mem := members(g, inv.sums, doc)
			t = &tally{byType: map[string]int{}, members: len(mem)}
			in := make(map[string]bool, len(mem))
			for _, s := range mem {
				in[s.ID] = true
				t.byType[s.Type]++
			}
			for _, v := range vs {
				if v.Status != rules.StatusClosed && in[v.AssetID] {
					t.vs = append(t.vs, v)
				}
			}
			if len(evalErrs) > 0 {
				errs = rules.ErroredIn(evalErrs, func(id string) bool { return in[id] })
			}
		} else if len(evalErrs) > 0 {
			errs = rules.ErroredIn(evalErrs, func(id string) bool { return builtinHas(g.Group, inv.byID[id]) })
		}
		for _, domain := range domainsOf(ps) {
			s := c.scoreCounts(ps, g.Name, domain, t.byType, t.vs, errs)
			if err := c.Store.PutTrendPoint(rules.TrendPointFrom(s, now, t.members)); err != nil {
				return fmt.Errorf("store trend point of %s: %w", g.Name, err)
			}
		}
	}
	if err := c.Store.PruneTrend(now.AddDate(0, 0, -500)); err != nil {
		return fmt.Errorf("prune trend: %w", err)
	}
	return nil
}

// builtinHas reports whether a built-in group (all, account:*, region:*)
// holds an asset.
func builtinHas(g groups.Group, a *asset.Asset) bool {
	switch {
	case a == nil:
		return false
	case g.Name == groups.All:
		return true
	case g.Name == "account:"+a.Account:
		return true
	}
	return g.Name == "region:"+a.Region
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
