package rules

import (
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// DefaultWeights returns the weights of the categories in the overall score
// (security 50, governance 20, cost 20, tagging 10).
func DefaultWeights() map[string]int {
	return map[string]int{CategorySecurity: 50, CategoryGovernance: 20, CategoryCost: 20, CategoryTagging: 10}
}

// ScoreInput is what one group's compliance in one domain is computed from.
type ScoreInput struct {
	Group  string
	Domain string // DefaultDomain when empty
	// Policies to score: disabled ones and those of other domains are skipped.
	Policies []*Policy
	// Evaluated is, per policy ID, how many of the group's assets it judged.
	Evaluated map[string]int
	// Violations of the group's assets (closed ones are ignored).
	Violations []Violation
	// Errors is, per policy ID, the group's assets its check could not
	// judge in the last evaluation (see ErroredIn).
	Errors map[string][]string
	// Weights of the categories; DefaultWeights when nil. Configured weights
	// for the four categories replace the defaults one by one.
	Weights map[string]int
}

// ComputeScores applies PacBot's math: policy % = floor((evaluated - open) x
// 100 / evaluated), 100 when none evaluated; category % = floor of the
// severity-weighted mean of its policies that evaluated something; overall
// = floor of the weighted mean of the categories that have such policies
// (100 when none). Exempt violations count as passing. Means use the
// floored policy and category figures, so a report adds up by hand.
//
// An evaluation error is never a pass: an asset whose check errored keeps
// the judgement of its last successful evaluation (a violation still open
// or exempt counts as it did), and one that never had a violation leaves
// `evaluated` (it was not judged). Errors counts both.
func ComputeScores(in ScoreInput) Scores {
	domain := in.Domain
	if domain == "" {
		domain = DefaultDomain
	}
	weights := DefaultWeights()
	for k, v := range in.Weights {
		weights[k] = v
	}
	open, exempt := map[string]int{}, map[string]int{}
	var live map[[2]string]bool // (policy, asset) with an open or exempt violation, when errors need it
	if len(in.Errors) > 0 {
		live = map[[2]string]bool{}
	}
	for _, v := range in.Violations {
		switch v.Status {
		case StatusOpen:
			open[v.PolicyID]++
		case StatusExempt:
			exempt[v.PolicyID]++
		default:
			continue
		}
		if live != nil && len(in.Errors[v.PolicyID]) > 0 {
			live[[2]string{v.PolicyID, v.AssetID}] = true
		}
	}
	s := Scores{Group: in.Group, Domain: domain, Categories: map[string]int{}, Policies: []PolicyScore{}}
	catSum, catW := map[string]int{}, map[string]int{}
	for _, p := range in.Policies {
		pd := p.Domain
		if pd == "" {
			pd = DefaultDomain
		}
		if p.Disabled || pd != domain {
			continue
		}
		ps := PolicyScore{
			PolicyID: p.ID, Name: p.Name, Severity: p.Severity, Category: p.Category, Domain: pd,
			Evaluated: in.Evaluated[p.ID], Open: open[p.ID], Exempt: exempt[p.ID],
			Errors: len(in.Errors[p.ID]),
		}
		for _, id := range in.Errors[p.ID] {
			if !live[[2]string{p.ID, id}] && ps.Evaluated > 0 {
				ps.Evaluated-- // never judged: neither a pass nor a failure
			}
		}
		ps.Compliance = PolicyCompliance(ps.Evaluated, ps.Open)
		s.Policies = append(s.Policies, ps)
		if ps.Evaluated > 0 {
			w := Severity(p.Severity).Weight()
			catSum[p.Category] += w * ps.Compliance
			catW[p.Category] += w
		}
	}
	sort.Slice(s.Policies, func(i, j int) bool { return s.Policies[i].PolicyID < s.Policies[j].PolicyID })
	total, totalW := 0, 0
	for c, w := range catW {
		if w == 0 {
			continue
		}
		s.Categories[c] = catSum[c] / w
		if cw := weights[c]; cw > 0 {
			total += cw * s.Categories[c]
			totalW += cw
		}
	}
	s.Overall = 100
	if totalW > 0 {
		s.Overall = total / totalW
	}
	return s
}

// PolicyCompliance is one policy's percentage: floor((evaluated - open) x
// 100 / evaluated), 100 when nothing was evaluated, never below 0.
func PolicyCompliance(evaluated, open int) int {
	if evaluated <= 0 {
		return 100
	}
	if open > evaluated {
		open = evaluated
	}
	return (evaluated - open) * 100 / evaluated
}

// TrendPointFrom records scores as the trend point of day (UTC); assets is
// the number of assets in the group.
func TrendPointFrom(s Scores, day time.Time, assets int) TrendPoint {
	tp := TrendPoint{
		Group: s.Group, Domain: s.Domain, Day: day.UTC().Format("2006-01-02"),
		Overall: s.Overall, Categories: make(map[string]int, len(s.Categories)),
		Policies: make(map[string]int, len(s.Policies)), Assets: assets,
	}
	for k, v := range s.Categories {
		tp.Categories[k] = v
	}
	for _, p := range s.Policies {
		tp.Policies[p.PolicyID] = p.Compliance
		tp.Open += p.Open
	}
	return tp
}

// EvaluatedCounts counts, per policy ID, the assets each enabled policy of
// the engine judges (its types and group scope) among assets.
func (e *Engine) EvaluatedCounts(assets []*asset.Asset) map[string]int {
	out := map[string]int{}
	for _, a := range assets {
		var doc map[string]any
		var sum *asset.Summary
		for _, c := range e.byType[a.Type] {
			if c.disabled {
				continue
			}
			if c.scope != nil {
				if sum == nil {
					s := summaryOf(a)
					sum = &s
				}
				m, need := c.scope.MatchSummary(sum)
				if need {
					if doc == nil {
						doc = a.Doc()
					}
					m = c.scope.Match(doc)
				}
				if !m {
					continue
				}
			}
			out[c.policy.ID]++
		}
	}
	return out
}
