// Package asset holds the types every other vigil package shares: the asset
// document and its compact summary, scan and unit records, and the helpers
// that read attribute paths and clean untrusted strings.
package asset

import (
	"time"
)

// Global is the region name of resources and scan units that have no region
// (S3 listing, IAM, account-wide settings).
const Global = "global"

// Asset is one discovered resource: identity fields plus the full attribute
// document a collector produced. Attrs holds JSON-compatible values only
// (string, int64, float64, bool, []any, map[string]any, nil); integers are
// int64 so CEL sees them as int.
type Asset struct {
	ID        string            `json:"id"`
	Type      string            `json:"type"`
	Name      string            `json:"name"`
	Account   string            `json:"account"`
	Region    string            `json:"region"`
	Tags      map[string]string `json:"tags,omitempty"`
	Source    string            `json:"source"`
	FirstSeen time.Time         `json:"first_seen"`
	LastSeen  time.Time         `json:"last_seen"`
	Attrs     map[string]any    `json:"attrs"`
}

// Summary is the compact record of an asset that lists and search read
// without decoding the full document; its Tags are packed (a console at 1M
// assets holds a million of them). Hash is a hash of the attribute
// document, used to skip re-evaluating unchanged assets.
type Summary struct {
	ID        string  `json:"id"`
	Type      string  `json:"type"`
	Name      string  `json:"name"`
	Account   string  `json:"account"`
	Region    string  `json:"region"`
	Tags      Tags    `json:"tags,omitzero"`
	Source    string  `json:"source"`
	FirstSeen Instant `json:"first_seen"`
	LastSeen  Instant `json:"last_seen"`
	Hash      uint64  `json:"hash"`
}

// Summary returns the compact record of a, with its document hash.
func (a *Asset) Summary() Summary {
	return Summary{
		ID: a.ID, Type: a.Type, Name: a.Name, Account: a.Account, Region: a.Region,
		Tags: NewTags(a.Tags), Source: a.Source, FirstSeen: InstantOf(a.FirstSeen), LastSeen: InstantOf(a.LastSeen),
		Hash: HashDoc(a.Attrs, a.Tags, a.Name),
	}
}

// Doc returns the document policies and groups see as `resource`: the
// attributes plus the identity fields id, type, name, account, region and tags.
// Identity fields win over attributes of the same name.
func (a *Asset) Doc() map[string]any {
	doc := make(map[string]any, len(a.Attrs)+6)
	for k, v := range a.Attrs {
		doc[k] = v
	}
	tags := make(map[string]any, len(a.Tags))
	for k, v := range a.Tags {
		tags[k] = v
	}
	doc["id"] = a.ID
	doc["type"] = a.Type
	doc["name"] = a.Name
	doc["account"] = a.Account
	doc["region"] = a.Region
	doc["tags"] = tags
	return doc
}
