package rules

import "github.com/vigil-sec/vigil/asset"

// Index is an in-memory Resolver over one scan's assets: it links instances
// to their security groups and volumes (and back), and any asset to the
// vulnerability findings that target it and to its account's settings.
type Index struct {
	byKey    map[indexKey]*asset.Asset   // natural id in its type, account and region -> asset
	findings map[string][]*asset.Asset   // target asset ID -> findings
	bySG     map[indexKey][]*asset.Asset // security group -> instances using it
	accounts map[string]map[string]any   // account -> its aws.account document, built once
}

var _ Resolver = (*Index)(nil)

// indexKey names a resource by its natural ID (sg-..., vol-..., i-...)
// within its type, account and region.
type indexKey struct {
	typ, account, region, id string
}

func key(typ, account, region, id string) indexKey {
	return indexKey{typ, account, region, id}
}

// NewIndex indexes assets for related() and account().
func NewIndex(assets []*asset.Asset) *Index {
	ix := &Index{
		byKey:    map[indexKey]*asset.Asset{},
		findings: map[string][]*asset.Asset{},
		bySG:     map[indexKey][]*asset.Asset{},
		accounts: map[string]map[string]any{},
	}
	for _, a := range assets {
		switch a.Type {
		case asset.TypeVulnFinding:
			if t, _ := a.Attrs["target"].(string); t != "" {
				ix.findings[t] = append(ix.findings[t], a)
			}
		case asset.TypeAccount:
			ix.accounts[a.Account] = a.Doc()
		case asset.TypeSecurityGroup:
			ix.put(a, "group_id")
		case asset.TypeVolume:
			ix.put(a, "volume_id")
		case asset.TypeEC2Instance:
			ix.put(a, "instance_id")
			for _, sg := range stringList(a.Attrs["security_group_ids"]) {
				k := key(asset.TypeSecurityGroup, a.Account, a.Region, sg)
				ix.bySG[k] = append(ix.bySG[k], a)
			}
		}
	}
	return ix
}

func (ix *Index) put(a *asset.Asset, idAttr string) {
	if id, _ := a.Attrs[idAttr].(string); id != "" {
		ix.byKey[key(a.Type, a.Account, a.Region, id)] = a
	}
}

// Related returns the documents of assets of type typ linked to a:
// vuln.finding whose target is a; the security groups a names in
// security_group_ids or vpc_security_group_ids; the volumes in volume_ids;
// the instances a volume is attached to or that use a security group.
func (ix *Index) Related(a *asset.Asset, typ string) []map[string]any {
	var out []map[string]any
	lookup := func(t string, ids []string) {
		for _, id := range ids {
			if r := ix.byKey[key(t, a.Account, a.Region, id)]; r != nil {
				out = append(out, r.Doc())
			}
		}
	}
	switch typ {
	case asset.TypeVulnFinding:
		for _, f := range ix.findings[a.ID] {
			out = append(out, f.Doc())
		}
	case asset.TypeSecurityGroup:
		lookup(typ, stringList(a.Attrs["security_group_ids"]))
		lookup(typ, stringList(a.Attrs["vpc_security_group_ids"]))
	case asset.TypeVolume:
		lookup(typ, stringList(a.Attrs["volume_ids"]))
	case asset.TypeEC2Instance:
		switch a.Type {
		case asset.TypeVolume:
			atts, _ := a.Attrs["attachments"].([]any)
			ids := make([]string, 0, len(atts))
			for _, at := range atts {
				if m, ok := at.(map[string]any); ok {
					if id, _ := m["instance_id"].(string); id != "" {
						ids = append(ids, id)
					}
				}
			}
			lookup(typ, ids)
		case asset.TypeSecurityGroup:
			gid, _ := a.Attrs["group_id"].(string)
			for _, i := range ix.bySG[key(asset.TypeSecurityGroup, a.Account, a.Region, gid)] {
				out = append(out, i.Doc())
			}
		}
	}
	return out
}

// Account returns the document of an account's aws.account asset, or nil.
// The document is shared: callers must not modify it.
func (ix *Index) Account(account string) map[string]any {
	return ix.accounts[account]
}

// stringList reads a list of strings from a document value.
func stringList(v any) []string {
	switch t := v.(type) {
	case []string:
		return t
	case []any:
		out := make([]string, 0, len(t))
		for _, e := range t {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
