package cycle

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
)

// AssetAt reads the document asset id had at `at`: a scan ID (the state
// that scan left, until the next scan started), a day YYYY-MM-DD (as it
// was at the end of that day, UTC) or an RFC 3339 time. It returns the
// document and a label saying which moment it shows.
func AssetAt(st *db.Store, id, at string) (*asset.Asset, string, error) {
	t, label, err := resolveAt(st, at)
	if err != nil {
		return nil, "", err
	}
	if t.IsZero() {
		a, err := st.Asset(id)
		return a, label, err
	}
	a, err := st.AssetAt(id, t)
	return a, label, err
}

// resolveAt turns --at into the time whose state applies (zero: now).
func resolveAt(st *db.Store, at string) (time.Time, string, error) {
	sc, next, err := st.NextScanStart(at)
	if err == nil {
		return next, fmt.Sprintf("as scan %s (%s, %s) left it", sc.ID, sc.Started.UTC().Format("2006-01-02 15:04"), sc.Status), nil
	}
	if !errors.Is(err, db.ErrNotFound) {
		return time.Time{}, "", err
	}
	if d, perr := time.Parse("2006-01-02", at); perr == nil {
		return d.AddDate(0, 0, 1), "as it was at the end of " + at + " (UTC)", nil
	}
	if t, perr := time.Parse(time.RFC3339, at); perr == nil {
		return t, "as it was at " + t.UTC().Format(time.RFC3339), nil
	}
	return time.Time{}, "", fmt.Errorf("--at %q is no scan ID of this store, no day (YYYY-MM-DD) and no RFC 3339 time: "+
		"see `vigil scans` for scan IDs", asset.Clean(at))
}
