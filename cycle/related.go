package cycle

import (
	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// relatedOf lists the assets an asset refers to (its security groups,
// volumes, the instance a volume or address is attached to, a finding's
// target) and those that refer to it (instances using a security group,
// findings on an instance).
func relatedOf(a *asset.Asset, sums []asset.Summary, st *db.Store) []asset.Summary {
	byID := make(map[string]*asset.Summary, len(sums))
	for i := range sums {
		byID[sums[i].ID] = &sums[i]
	}
	arn := func(kind, id string) string {
		return "arn:aws:ec2:" + a.Region + ":" + a.Account + ":" + kind + "/" + id
	}
	var ids []string
	for _, sg := range strs(a.Attrs["security_group_ids"]) {
		ids = append(ids, arn("security-group", sg))
	}
	for _, sg := range strs(a.Attrs["vpc_security_group_ids"]) {
		ids = append(ids, arn("security-group", sg))
	}
	for _, v := range strs(a.Attrs["volume_ids"]) {
		ids = append(ids, arn("volume", v))
	}
	if att, ok := a.Attrs["attachments"].([]any); ok {
		for _, x := range att {
			if m, ok := x.(map[string]any); ok {
				if id, _ := m["instance_id"].(string); id != "" {
					ids = append(ids, arn("instance", id))
				}
			}
		}
	}
	if id, _ := a.Attrs["instance_id"].(string); id != "" && a.Type != asset.TypeEC2Instance {
		ids = append(ids, arn("instance", id))
	}
	if t, _ := a.Attrs["target"].(string); t != "" {
		ids = append(ids, t)
	}
	if a.Type == asset.TypeSecurityGroup {
		gid, _ := a.Attrs["group_id"].(string)
		_ = st.AssetsOfType(asset.TypeEC2Instance, func(in *asset.Asset) error {
			if in.Account == a.Account && in.Region == a.Region && contains(strs(in.Attrs["security_group_ids"]), gid) {
				ids = append(ids, in.ID)
			}
			return nil
		})
	}
	if a.Type == asset.TypeEC2Instance {
		for i := range sums {
			if sums[i].Type == asset.TypeVulnFinding && hasSuffixAt(sums[i].ID, "@"+a.ID) {
				ids = append(ids, sums[i].ID)
			}
		}
	}
	if a.Type != asset.TypeAccount {
		ids = append(ids, asset.AccountID(a.Account))
	}
	seen := map[string]bool{a.ID: true}
	var out []asset.Summary
	for _, id := range ids {
		if s, ok := byID[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, *s)
		}
	}
	return out
}

func hasSuffixAt(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

func strs(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
