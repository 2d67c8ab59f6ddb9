package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// buildIndex indexes a group's assets, every policy and the open violations.
func buildIndex(b Backend, group string) (*omni.Session, error) {
	sums, err := b.Summaries(group)
	if err != nil {
		return nil, err
	}
	vs, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return nil, err
	}
	with := make(map[string]bool, len(vs))
	for _, v := range vs {
		with[v.AssetID] = true
	}
	return omni.NewSession(omni.NewAssetIndex(sums, with, newSearchItems(b.Policies(), vs))), nil
}

// searchItems are the policies and open violations the search indexes after
// the assets (which it reads from their summaries). It makes an item when
// the index asks, so no Item, nor packed tags, is held per violation: at
// 442k violations that was 84 MB. It keeps only the strings an item is made
// of, which share the violations' memory (the violations themselves, 288
// bytes each, need not stay), the few distinct ones as numbers: 88 bytes
// per violation.
type searchItems struct {
	pols  []omni.Item
	vs    []violationRef
	names []string // type, account, region, policy and severity values
}

// violationRef is what a violation's search item is made of.
type violationRef struct {
	id, message, assetID, assetName          string
	typ, account, region, policyID, severity uint32 // in names
}

func newSearchItems(pols []rules.Policy, vs []rules.Violation) searchItems {
	s := searchItems{pols: make([]omni.Item, len(pols)), vs: make([]violationRef, len(vs))}
	for i := range pols {
		pol := &pols[i]
		typ := ""
		if len(pol.Resources) > 0 {
			typ = pol.Resources[0]
		}
		s.pols[i] = omni.Item{Kind: omni.KindPolicy, ID: pol.ID, Title: pol.Name, Type: typ,
			Tags: asset.TagsOf(asset.TagPair{Key: "severity", Value: pol.Severity}, asset.TagPair{Key: "category", Value: pol.Category})}
	}
	ids := map[string]uint32{}
	name := func(v string) uint32 {
		id, ok := ids[v]
		if !ok {
			id = uint32(len(s.names))
			ids[v] = id
			s.names = append(s.names, v)
		}
		return id
	}
	for i := range vs {
		v := &vs[i]
		s.vs[i] = violationRef{id: v.ID, message: v.Message, assetID: v.AssetID, assetName: v.AssetName,
			typ: name(v.AssetType), account: name(v.Account), region: name(v.Region), policyID: name(v.PolicyID), severity: name(v.Severity)}
	}
	return s
}

// Len is the number of policies and violations.
func (s searchItems) Len() int { return len(s.pols) + len(s.vs) }

// Item makes item i: a policy, then the violations.
func (s searchItems) Item(i int) omni.Item {
	if i < len(s.pols) {
		return s.pols[i]
	}
	v := &s.vs[i-len(s.pols)]
	return omni.Item{Kind: omni.KindViolation, ID: v.id, Title: v.message, AssetID: v.assetID,
		Type: s.names[v.typ], Account: s.names[v.account], Region: s.names[v.region], HasViolations: true,
		Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: s.names[v.policyID]}, asset.TagPair{Key: "asset", Value: v.assetName},
			asset.TagPair{Key: "severity", Value: s.names[v.severity]})}
}

func (p *searchPage) facetLine() string {
	st := p.c.st
	v := func(s string) string {
		if s == "" {
			return st.Subtle.Render("any")
		}
		return st.Key.Render(text(s))
	}
	viol := "any"
	if p.facets.HasViolations != nil {
		viol = map[bool]string{true: "yes", false: "no"}[*p.facets.HasViolations]
	}
	return fit("type "+v(p.facets.Type)+"  account "+v(p.facets.Account)+"  region "+
		v(p.facets.Region)+"  violations "+v(strings.ReplaceAll(viol, "any", "")), p.width)
}

// highlight marks matched rune positions of a safe line, fitted to w.
func highlight(st *Styles, line string, matched []int, w int) string {
	rs := []rune(line)
	set := make(map[int]bool, len(matched))
	for _, m := range matched {
		set[m] = true
	}
	var b strings.Builder
	for i, r := range rs {
		if set[i] {
			b.WriteString(st.Key.Render(string(r)))
		} else {
			b.WriteRune(r)
		}
	}
	if ansi.StringWidth(b.String()) > w {
		return ansi.Truncate(b.String(), w, "…")
	}
	return b.String()
}
