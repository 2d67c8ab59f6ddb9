package omni

import (
	"strings"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// ItemsFromPolicies turns policies into items: Title is the policy name,
// Type its resource type (comma-joined when it covers several), and
// severity, category and frameworks become tags.
func ItemsFromPolicies(ps []rules.Policy) []Item {
	items := make([]Item, len(ps))
	for i := range ps {
		p := &ps[i]
		tags := []asset.TagPair{{Key: "severity", Value: p.Severity}, {Key: "category", Value: p.Category}}
		if len(p.Frameworks) > 0 {
			tags = append(tags, asset.TagPair{Key: "frameworks", Value: strings.Join(p.Frameworks, ",")})
		}
		items[i] = Item{Kind: KindPolicy, ID: p.ID, Title: p.Name, Type: strings.Join(p.Resources, ","), Tags: asset.TagsOf(tags...)}
	}
	return items
}

// ItemsFromViolations turns violations into items: Title is the message,
// Type/Account/Region are the asset's, HasViolations says whether it is
// open, and policy, asset name, severity and status become tags.
func ItemsFromViolations(vs []rules.Violation) []Item {
	items := make([]Item, len(vs))
	for i := range vs {
		v := &vs[i]
		items[i] = Item{
			Kind: KindViolation, ID: v.ID, Title: v.Message, Type: v.AssetType, AssetID: v.AssetID,
			Account: v.Account, Region: v.Region, HasViolations: v.Status == rules.StatusOpen,
			Tags: asset.TagsOf(asset.TagPair{Key: "policy", Value: v.PolicyID}, asset.TagPair{Key: "asset", Value: v.AssetName},
				asset.TagPair{Key: "severity", Value: v.Severity}, asset.TagPair{Key: "status", Value: v.Status}),
		}
	}
	return items
}
