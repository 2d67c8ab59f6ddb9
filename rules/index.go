package rules

import (
	"sync"

	"github.com/vigil-sec/vigil/asset"
)

// Index is an in-memory Resolver over one scan's assets: it links instances
// to their security groups and volumes (and back), and any asset to the
// vulnerability findings that target it and to its account's settings.
// Each link is indexed on first use, so an evaluation pays only for the
// links its policies follow. It is safe for concurrent use.
type Index struct {
	assets []*asset.Asset

	accountsOnce sync.Once
	accounts     map[string]map[string]any // account -> its aws.account document

	findingsOnce sync.Once
	findings     map[string][]*asset.Asset // target asset ID -> findings

	byKeyOnce sync.Once
	byKey     map[indexKey]*asset.Asset // natural ID in its type, account and region -> asset

	bySGOnce sync.Once
	bySG     map[indexKey][]*asset.Asset // security group -> instances using it

	byAccountOnce sync.Once
	byAccount     map[indexKey][]*asset.Asset // type and account (region, id empty) -> its assets

	bucketsOnce sync.Once
	buckets     map[string]*asset.Asset // S3 bucket name (unique across accounts) -> bucket

	rolesOnce sync.Once
	roles     map[string]*asset.Asset // IAM role ARN -> role
}

var _ Resolver = (*Index)(nil)

// indexKey names a resource by its natural ID (sg-..., vol-..., i-...)
// within its type, account and region.
type indexKey struct {
	typ, account, region, id string
}

// NewIndex indexes assets for related() and account(). The slice must not
// change while the index is in use.
func NewIndex(assets []*asset.Asset) *Index {
	return &Index{assets: assets}
}

func (ix *Index) accountDocs() map[string]map[string]any {
	ix.accountsOnce.Do(func() {
		ix.accounts = map[string]map[string]any{}
		for _, a := range ix.assets {
			if a.Type == asset.TypeAccount {
				ix.accounts[a.Account] = a.Doc()
			}
		}
	})
	return ix.accounts
}

func (ix *Index) findingsByTarget() map[string][]*asset.Asset {
	ix.findingsOnce.Do(func() {
		ix.findings = map[string][]*asset.Asset{}
		for _, a := range ix.assets {
			if a.Type != asset.TypeVulnFinding {
				continue
			}
			if t, _ := a.Attrs["target"].(string); t != "" {
				ix.findings[t] = append(ix.findings[t], a)
			}
		}
	})
	return ix.findings
}

func (ix *Index) byNaturalID() map[indexKey]*asset.Asset {
	ix.byKeyOnce.Do(func() {
		ix.byKey = map[indexKey]*asset.Asset{}
		for _, a := range ix.assets {
			var attr string
			switch a.Type {
			case asset.TypeSecurityGroup:
				attr = "group_id"
			case asset.TypeVolume:
				attr = "volume_id"
			case asset.TypeEC2Instance:
				attr = "instance_id"
			default:
				continue
			}
			if id, _ := a.Attrs[attr].(string); id != "" {
				ix.byKey[indexKey{a.Type, a.Account, a.Region, id}] = a
			}
		}
	})
	return ix.byKey
}

func (ix *Index) instancesBySG() map[indexKey][]*asset.Asset {
	ix.bySGOnce.Do(func() {
		ix.bySG = map[indexKey][]*asset.Asset{}
		for _, a := range ix.assets {
			if a.Type != asset.TypeEC2Instance {
				continue
			}
			for _, sg := range stringList(a.Attrs["security_group_ids"]) {
				k := indexKey{asset.TypeSecurityGroup, a.Account, a.Region, sg}
				ix.bySG[k] = append(ix.bySG[k], a)
			}
		}
	})
	return ix.bySG
}

// Related returns the documents of assets of type typ linked to a:
// for an aws.account asset, every asset of typ in that account (any
// region); vuln.finding whose target is a; the security groups a names in
// security_group_ids or vpc_security_group_ids; the volumes in volume_ids;
// the instances a volume is attached to or that use a security group; the
// S3 bucket a trail delivers to (by name, in any scanned account); the IAM
// role a Lambda function runs as (by its ARN).
func (ix *Index) Related(a *asset.Asset, typ string) []map[string]any {
	rs := ix.relatedAssets(a, typ)
	if rs == nil {
		return nil
	}
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		out[i] = r.Doc()
	}
	return out
}

// relatedAssets is Related without building the documents: the linked
// assets themselves, which the caller must not modify.
func (ix *Index) relatedAssets(a *asset.Asset, typ string) []*asset.Asset {
	if a.Type == asset.TypeAccount {
		return ix.assetsByAccount()[indexKey{typ: typ, account: a.Account}]
	}
	var out []*asset.Asset
	lookup := func(t string, ids []string) {
		if len(ids) == 0 {
			return
		}
		byKey := ix.byNaturalID()
		for _, id := range ids {
			if r := byKey[indexKey{t, a.Account, a.Region, id}]; r != nil {
				out = append(out, r)
			}
		}
	}
	switch typ {
	case asset.TypeIAMRole:
		if a.Type == asset.TypeLambda {
			arn, _ := a.Attrs["role"].(string)
			if r := ix.rolesByARN()[arn]; r != nil && arn != "" {
				out = append(out, r)
			}
		}
	case asset.TypeS3Bucket:
		if a.Type == asset.TypeTrail {
			name, _ := a.Attrs["s3_bucket"].(string)
			if b := ix.bucketsByName()[name]; b != nil && name != "" {
				out = append(out, b)
			}
		}
	case asset.TypeVulnFinding:
		out = append(out, ix.findingsByTarget()[a.ID]...)
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
			out = append(out, ix.instancesBySG()[indexKey{asset.TypeSecurityGroup, a.Account, a.Region, gid}]...)
		}
	}
	return out
}

// rolesByARN indexes the IAM roles by ARN (the asset ID, or the arn
// attribute when a role has a path).
func (ix *Index) rolesByARN() map[string]*asset.Asset {
	ix.rolesOnce.Do(func() {
		ix.roles = map[string]*asset.Asset{}
		for _, a := range ix.assets {
			if a.Type != asset.TypeIAMRole {
				continue
			}
			ix.roles[a.ID] = a
			if arn, _ := a.Attrs["arn"].(string); arn != "" {
				ix.roles[arn] = a
			}
		}
	})
	return ix.roles
}

// bucketsByName indexes the S3 buckets by name, in any account: a trail
// often delivers to a bucket of another (log archive) account.
func (ix *Index) bucketsByName() map[string]*asset.Asset {
	ix.bucketsOnce.Do(func() {
		ix.buckets = map[string]*asset.Asset{}
		for _, a := range ix.assets {
			if a.Type != asset.TypeS3Bucket {
				continue
			}
			if name, _ := a.Attrs["bucket"].(string); name != "" {
				ix.buckets[name] = a
			}
		}
	})
	return ix.buckets
}

// assetsByAccount groups the assets by type and account, for the
// account-wide checks (CIS monitoring, CloudTrail data events).
func (ix *Index) assetsByAccount() map[indexKey][]*asset.Asset {
	ix.byAccountOnce.Do(func() {
		ix.byAccount = map[indexKey][]*asset.Asset{}
		for _, a := range ix.assets {
			if a.Type == asset.TypeAccount {
				continue
			}
			k := indexKey{typ: a.Type, account: a.Account}
			ix.byAccount[k] = append(ix.byAccount[k], a)
		}
	})
	return ix.byAccount
}

// Account returns the document of an account's aws.account asset, or nil.
// The document is shared: callers must not modify it.
func (ix *Index) Account(account string) map[string]any {
	return ix.accountDocs()[account]
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
