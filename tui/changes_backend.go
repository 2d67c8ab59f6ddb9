package tui

import (
	"errors"

	"github.com/vigil-sec/vigil/cycle"
)

// ChangesBackend is what the Changes page and the asset Changes tab read
// beyond Backend (cycle.Backend has it). A backend without it shows that
// scan diffs are not available instead of failing.
type ChangesBackend interface {
	// DiffScans compares two scans (empty IDs: the defaults of `vigil diff`).
	DiffScans(o cycle.DiffOptions) (*cycle.ScanDiff, error)
	// AssetHistory lists an asset's changes scan by scan, newest first.
	AssetHistory(id string) ([]cycle.AssetHistoryEntry, error)
}

// errNoChanges is shown by a session whose backend keeps no history.
var errNoChanges = errors.New("scan changes are not available in this session")

// changesOf returns the session's ChangesBackend.
func changesOf(b Backend) (ChangesBackend, error) {
	if cb, ok := b.(ChangesBackend); ok {
		return cb, nil
	}
	return nil, errNoChanges
}
