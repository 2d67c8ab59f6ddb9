// Package omni is the console's fuzzy "omni" search over assets, policies and
// violations: an immutable Index of lower-cased search lines, a parallel
// candidate scan with a cheap in-order byte pre-check, top-K ranking with a
// scorer consistent with github.com/sahilm/fuzzy, and a per-session
// incremental mode that searches only the previous matches while the
// operator keeps typing. It has no Bubble Tea dependency.
package omni

import (
	"math"

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

// appendLine appends the search line of it to b: "title id type account
// region k=v k=v" with empty fields skipped, the title skipped when it equals
// the ID, tags in key order (a Name tag equal to the title left out), and
// every part cleaned of terminal escapes.
func appendLine(b []byte, it *Item) []byte {
	start := len(b)
	b = appendHead(b, it)
	b = appendField(b, start, it.Type)
	b = appendField(b, start, it.Account)
	b = appendField(b, start, it.Region)
	return appendTags(b, start, it.Tags, it.Title)
}

// Pieces a line is cut into after its own part (see appendLineCuts).
const (
	tagPieces = 4
	maxPieces = 1 + tagPieces
)

// appendLineCuts appends the search line of it to b, as appendLine does,
// and to cuts where (from the line's start) each of its shared pieces
// begins: the own part is the title and ID; then one piece for type,
// account and region, and the tags in up to tagPieces pieces of about as
// many tags each (whole tag sets repeat little: 423k distinct among 1M
// demo assets; a few tags together repeat a lot). Every piece begins with
// its separating space, so no space-free term spans two parts. A line whose
// own part is empty, or that would not cut that way, has no cuts.
func appendLineCuts(b []byte, it *Item, cuts []int) ([]byte, []int) {
	start := len(b)
	b = appendHead(b, it)
	head := len(b) - start
	if head == 0 {
		return appendLine(b[:start], it), cuts
	}
	first := len(cuts)
	cuts = append(cuts, head)
	b = appendField(b, start, it.Type)
	b = appendField(b, start, it.Account)
	b = appendField(b, start, it.Region)
	kept := 0
	for k, v := range it.Tags.All() {
		if k != "Name" || v != it.Title {
			kept++
		}
	}
	j := 0
	for k, v := range it.Tags.All() {
		if k == "Name" && v == it.Title {
			continue // already the title; keep lines short
		}
		if j == 0 || j*tagPieces/kept != (j-1)*tagPieces/kept {
			cuts = append(cuts, len(b)-start)
		}
		j++
		b = appendField(b, start, k)
		if v != "" {
			b = append(b, '=')
			b = append(b, clean(v)...)
		}
	}
	// Drop empty pieces; give up on cuts that are not at a space, or when
	// the pieces come to more than 64 KiB.
	out := cuts[:first]
	line := b[start:]
	for c := first; c < len(cuts); c++ {
		at, end := cuts[c], len(line)
		if c+1 < len(cuts) {
			end = cuts[c+1]
		}
		if at == end {
			continue
		}
		if line[at] != ' ' {
			return b, cuts[:first]
		}
		out = append(out, at)
	}
	if len(out) > first && len(line)-out[first] > math.MaxUint16 {
		return b, cuts[:first]
	}
	return b, out
}

// appendHead appends the start of it's search line: title and ID.
func appendHead(b []byte, it *Item) []byte {
	start := len(b)
	if it.Title != it.ID {
		b = appendField(b, start, it.Title)
	}
	return appendField(b, start, it.ID)
}

// appendTags appends the tag part of a search line that starts at b[start]:
// " k=v" per tag in key order, a Name tag equal to title left out.
func appendTags(b []byte, start int, tags asset.Tags, title string) []byte {
	for k, v := range tags.All() {
		if k == "Name" && v == title {
			continue // already the title; keep lines short
		}
		b = appendField(b, start, k)
		if v != "" {
			b = append(b, '=')
			b = append(b, clean(v)...)
		}
	}
	return b
}

// appendField appends a non-empty field of a line that starts at b[start],
// after a space unless it is the first.
func appendField(b []byte, start int, s string) []byte {
	if s == "" {
		return b
	}
	if len(b) > start {
		b = append(b, ' ')
	}
	return append(b, clean(s)...)
}

// clean is asset.Clean, which keeps printable ASCII as it is, without
// decoding runes for it.
func clean(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return asset.Clean(s)
		}
	}
	return s
}
