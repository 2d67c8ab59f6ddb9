// Package omni is the console's fuzzy "omni" search over assets, policies and
// violations: an immutable Index of lower-cased search lines, a parallel
// candidate scan with a cheap in-order byte pre-check, top-K ranking with a
// scorer consistent with github.com/sahilm/fuzzy, and a per-session
// incremental mode that searches only the previous matches while the
// operator keeps typing. It has no Bubble Tea dependency.
package omni

import (
	"github.com/vigil-sec/vigil/asset"
)

// Kind says what an Item stands for.
type Kind uint8

// The kinds of searchable things.
const (
	KindAsset Kind = iota
	KindPolicy
	KindViolation
)

// String names the kind for display ("asset", "policy", "violation").
func (k Kind) String() string {
	switch k {
	case KindAsset:
		return "asset"
	case KindPolicy:
		return "policy"
	case KindViolation:
		return "violation"
	}
	return "unknown"
}

// Item is one searchable thing. For assets Title is the name; for a policy
// it is the policy name (ID the policy ID, Type its resource type, Tags
// severity and category); for a violation the message (ID the violation ID,
// Type/Account/Region the asset's, Tags policy, asset name and severity,
// AssetID the asset's ID, which is not searched).
type Item struct {
	ID            string
	Title         string
	Type          string
	Account       string
	Region        string
	Tags          asset.Tags
	AssetID       string
	Kind          Kind
	HasViolations bool
}

// ItemsFromSummaries turns asset summaries into items; withViolations marks
// the asset IDs that have open violations (nil means none do). An index of
// assets is smaller built by NewAssetIndex, which keeps no items for them.
func ItemsFromSummaries(s []asset.Summary, withViolations map[string]bool) []Item {
	items := make([]Item, len(s))
	for i := range s {
		items[i] = itemOf(&s[i], withViolations[s[i].ID])
	}
	return items
}

// itemOf is the item of one asset summary.
func itemOf(a *asset.Summary, hasViolations bool) Item {
	return Item{
		Kind: KindAsset, ID: a.ID, Title: a.Name, Type: a.Type,
		Account: a.Account, Region: a.Region, Tags: a.Tags,
		HasViolations: hasViolations,
	}
}

// lineBound is at least the length of it's search line: every field and
// separator before cleaning (which only drops bytes), and the packed tags,
// whose length prefixes take at least the room of " " and "=".
func lineBound(it *Item) int {
	return len(it.Title) + len(it.ID) + len(it.Type) + len(it.Account) + len(it.Region) + 5 + len(it.Tags.Packed())
}

// appendLine appends the search line of it to b: "title id type account
// region k=v k=v" with empty fields skipped, the title skipped when it equals
// the ID, tags in key order (a Name tag equal to the title left out), and
// every part cleaned of terminal escapes.
func appendLine(b []byte, it *Item) []byte {
	start := len(b)
	add := func(s string) {
		if s == "" {
			return
		}
		if len(b) > start {
			b = append(b, ' ')
		}
		b = append(b, asset.Clean(s)...)
	}
	if it.Title != it.ID {
		add(it.Title)
	}
	add(it.ID)
	add(it.Type)
	add(it.Account)
	add(it.Region)
	for k, v := range it.Tags.All() {
		if k == "Name" && v == it.Title {
			continue // already the title; keep lines short
		}
		add(k)
		if v != "" {
			b = append(b, '=')
			b = append(b, asset.Clean(v)...)
		}
	}
	return b
}
