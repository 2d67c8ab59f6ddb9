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
// the index asks, so no Item, nor packed tags, is held per violation (at
// 442k violations that was 84 MB), and it copies the few strings an item is
// made of, so holding them does not pin the decoded violations the backend
// drops after loading (126 MB at 1M assets): ~240 bytes per violation.
type searchItems struct {
	pols []omni.Item
	// text holds each violation's ID, message, asset ID and asset name
	// back to back; violation k's start at at[4k:4k+4] (at[4k+4] ends
	// them).
	text  string
	at    []uint32
	vals  []violationVals
	names []string // type, account, region, policy and severity values
}

// violationVals are a violation's few-valued strings, as indexes in names.
type violationVals struct{ typ, account, region, policyID, severity uint32 }

func newSearchItems(pols []rules.Policy, vs []rules.Violation) searchItems {
	s := searchItems{pols: make([]omni.Item, len(pols)), at: make([]uint32, 0, 4*len(vs)+1), vals: make([]violationVals, len(vs))}
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
			s.names = append(s.names, strings.Clone(v))
		}
		return id
	}
	size := 0
	for i := range vs {
		size += len(vs[i].ID) + len(vs[i].Message) + len(vs[i].AssetID) + len(vs[i].AssetName)
	}
	var text strings.Builder
	text.Grow(size)
	for i := range vs {
		v := &vs[i]
		for _, f := range []string{v.ID, v.Message, v.AssetID, v.AssetName} {
			s.at = append(s.at, uint32(text.Len()))
			text.WriteString(f)
		}
		s.vals[i] = violationVals{typ: name(v.AssetType), account: name(v.Account), region: name(v.Region), policyID: name(v.PolicyID), severity: name(v.Severity)}
	}
	s.at = append(s.at, uint32(text.Len()))
	s.text = text.String()
	return s
}

// Len is the number of policies and violations.
func (s searchItems) Len() int { return len(s.pols) + len(s.vals) }

// Item makes item i: a policy, then the violations.
func (s searchItems) Item(i int) omni.Item {
	if i < len(s.pols) {
		return s.pols[i]
	}
	k := i - len(s.pols)
	f := func(j int) string { return s.text[s.at[4*k+j]:s.at[4*k+j+1]] }
	v := &s.vals[k]
	return omni.Item{Kind: omni.KindViolation, ID: f(0), Title: f(1), AssetID: f(2),
		Type: s.names[v.typ], Account: s.names[v.account], Region: s.names[v.region], HasViolations: true,
		Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: s.names[v.policyID]}, asset.TagPair{Key: "asset", Value: f(3)},
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
