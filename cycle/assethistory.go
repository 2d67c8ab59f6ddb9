package cycle

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// Asset history entry kinds.
const (
	ChangeAdded   = "added"
	ChangeRemoved = "removed"
	ChangeChanged = "changed"
)

// AssetHistoryEntry is what one scan (or import) changed of one asset.
type AssetHistoryEntry struct {
	Scan    string         `json:"scan"`
	At      time.Time      `json:"at"`
	Kind    string         `json:"kind"` // ChangeAdded, ChangeRemoved, ChangeChanged
	Changes []asset.Change `json:"changes,omitempty"`
}

// AssetHistory lists an asset's kept changes scan by scan, newest first:
// each version against the document that replaced it.
func (c *Cycle) AssetHistory(id string) ([]AssetHistoryEntry, error) {
	vs, err := c.Store.AssetVersions(id)
	if err != nil {
		return nil, err
	}
	if len(vs) == 0 {
		return nil, nil
	}
	docs, err := c.Store.DocsAt([]string{id}, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("history of %s: %w", asset.Clean(id), err)
	}
	next := docs[id] // what the newest version was replaced by: the current document
	out := make([]AssetHistoryEntry, 0, len(vs))
	for i := len(vs) - 1; i >= 0; i-- {
		v := vs[i]
		e := AssetHistoryEntry{Scan: v.Scan, At: v.At}
		switch {
		case v.Doc == nil && next == nil:
			next = v.Doc
			continue
		case v.Doc == nil:
			e.Kind = ChangeAdded
		case next == nil:
			e.Kind = ChangeRemoved
		default:
			e.Kind = ChangeChanged
			e.Changes = asset.DocDiff(v.Doc, next)
		}
		out = append(out, e)
		next = v.Doc
	}
	return out, nil
}

// DiffScans compares two scans within the session's scope (Cycle.DiffScans).
func (b *Backend) DiffScans(o DiffOptions) (*ScanDiff, error) {
	sc, err := b.currentScope()
	if err != nil {
		return nil, err
	}
	return b.C.DiffScans(o, sc)
}

// AssetHistory lists an asset's changes scan by scan (Cycle.AssetHistory),
// for an asset in the session's scope.
func (b *Backend) AssetHistory(id string) ([]AssetHistoryEntry, error) {
	if err := b.visible(id); err != nil {
		return nil, err
	}
	return b.C.AssetHistory(id)
}
