package omni

import (
	"strings"

	"github.com/vigil-sec/vigil/rules"
)

// ItemsFromPolicies turns policies into items: Title is the policy name,
// Type its resource type (comma-joined when it covers several), and
// severity, category and frameworks become tags.
func ItemsFromPolicies(ps []rules.Policy) []Item {
	items := make([]Item, len(ps))
	for i := range ps {
		p := &ps[i]
		tags := map[string]string{"severity": p.Severity, "category": p.Category}
		if len(p.Frameworks) > 0 {
			tags["frameworks"] = strings.Join(p.Frameworks, ",")
		}
		items[i] = Item{Kind: KindPolicy, ID: p.ID, Title: p.Name, Type: strings.Join(p.Resources, ","), Tags: tags}
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
			Kind: KindViolation, ID: v.ID, Title: v.Message, Type: v.AssetType,
			Account: v.Account, Region: v.Region, HasViolations: v.Status == rules.StatusOpen,
			Tags: map[string]string{"policy": v.PolicyID, "asset": v.AssetName, "severity": v.Severity, "status": v.Status},
		}
	}
	return items
}
