package omni

import (
	"strings"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// ConsoleIndex indexes what the console's `/` searches: the asset summaries
// (withViolations: the asset IDs with open violations), then every policy
// and the open violations vs, whose items are made when a hit asks for
// them.
func ConsoleIndex(sums []asset.Summary, pols []rules.Policy, vs []rules.Violation) *Index {
	with := make(map[string]bool, len(vs))
	for _, v := range vs {
		with[v.AssetID] = true
	}
	return NewAssetIndex(sums, with, newConsoleItems(pols, vs))
}

// consoleItems are the policies and open violations the console indexes
// after the assets (which it reads from their summaries). It makes an item when
// the index asks, so no Item, nor packed tags, is held per violation (at
// 442k violations that was 84 MB), and it copies the few strings an item is
// made of, so holding them does not pin the decoded violations the backend
// drops after loading (126 MB at 1M assets): ~240 bytes per violation.
type consoleItems struct {
	pols []Item
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

func newConsoleItems(pols []rules.Policy, vs []rules.Violation) consoleItems {
	s := consoleItems{pols: make([]Item, len(pols)), at: make([]uint32, 0, 4*len(vs)+1), vals: make([]violationVals, len(vs))}
	for i := range pols {
		pol := &pols[i]
		typ := ""
		if len(pol.Resources) > 0 {
			typ = pol.Resources[0]
		}
		tags := []asset.TagPair{{Key: "severity", Value: pol.Severity}, {Key: "category", Value: pol.Category}}
		if len(pol.Frameworks) > 0 {
			tags = append(tags, asset.TagPair{Key: "frameworks", Value: strings.Join(pol.Frameworks, ",")})
		}
		s.pols[i] = Item{Kind: KindPolicy, ID: pol.ID, Title: pol.Name, Type: typ, Tags: asset.TagsOf(tags...)}
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
func (s consoleItems) Len() int { return len(s.pols) + len(s.vals) }

// Item makes item i: a policy, then the violations.
func (s consoleItems) Item(i int) Item {
	if i < len(s.pols) {
		return s.pols[i]
	}
	k := i - len(s.pols)
	f := func(j int) string { return s.text[s.at[4*k+j]:s.at[4*k+j+1]] }
	v := &s.vals[k]
	return Item{Kind: KindViolation, ID: f(0), Title: f(1), AssetID: f(2),
		Type: s.names[v.typ], Account: s.names[v.account], Region: s.names[v.region], HasViolations: true,
		Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: s.names[v.policyID]}, asset.TagPair{Key: "asset", Value: f(3)},
			asset.TagPair{Key: "severity", Value: s.names[v.severity]})}
}
