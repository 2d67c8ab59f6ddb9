package cycle

import (
	"errors"
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
)

// DiffOptions select what a store diff compares: scan IDs (empty: the
// last two complete scans, or the complete scan before To) and a group.
type DiffOptions struct {
	From, To string
	Group    string
}

// DiffScans compares the state two scans of the store left (each scan's
// state lasts until the next scan starts, so fixes made in between count
// with it), confined to the group and to sc (nil: everything).
func (c *Cycle) DiffScans(o DiffOptions, sc Scope) (*ScanDiff, error) {
	from, to, err := c.diffPair(o)
	if err != nil {
		return nil, err
	}
	st := c.Store
	fromSc, bFrom, err := st.NextScanStart(from)
	if err != nil {
		return nil, scanHint(err)
	}
	toSc, bTo, err := st.NextScanStart(to)
	if err != nil {
		return nil, scanHint(err)
	}
	if from != to && (!bTo.IsZero() && !bTo.After(bFrom) || bFrom.IsZero() && !bTo.IsZero()) {
		return nil, fmt.Errorf("scan %s is newer than %s: pass the older one as --from", asset.Clean(from), asset.Clean(to))
	}
	d := &ScanDiff{From: sideOf(fromSc), To: sideOf(toSc), Group: o.Group,
		Violations: newViolationChanges(), Assets: AssetChanges{Added: []AssetRef{}, Removed: []AssetRef{}, Changed: []AssetChange{}}}
	if from != to {
		if err := c.checkHistory(fromSc, bFrom); err != nil {
			return nil, err
		}
		ids, err := st.ChangedBetween(bFrom, bTo)
		if err != nil {
			return nil, err
		}
		before, err := st.DocsAt(ids, bFrom)
		if err != nil {
			return nil, err
		}
		after, err := st.DocsAt(ids, bTo)
		if err != nil {
			return nil, err
		}
		keep, err := c.diffKeep(o.Group, sc, before, after)
		if err != nil {
			return nil, err
		}
		d.Assets = diffAssets(ids, before, after, keep)
		vs, err := st.Violations(db.ViolationFilter{})
		if err != nil {
			return nil, err
		}
		for i := range vs {
			if keep != nil && !keep(vs[i].AssetID) {
				continue
			}
			classify(&d.Violations, &vs[i], statusAt(&vs[i], bFrom), statusAt(&vs[i], bTo))
		}
		sortViolationChanges(&d.Violations)
	}
	cf, err := st.ScanComplianceOf(from)
	if err != nil {
		return nil, err
	}
	ct, err := st.ScanComplianceOf(to)
	if err != nil {
		return nil, err
	}
	d.Compliance = diffCompliance(cf, ct, o.Group)
	return d, nil
}

func sideOf(sc *asset.Scan) DiffSide {
	return DiffSide{Scan: sc.ID, Started: sc.Started, Status: sc.Status}
}

// checkHistory refuses a from-scan whose state the kept history cannot
// rebuild.
func (c *Cycle) checkHistory(from *asset.Scan, bFrom time.Time) error {
	floor, ok, err := c.Store.HistoryFloor()
	if err != nil {
		return err
	}
	if !ok || bFrom.Before(floor) {
		return fmt.Errorf("scan %s: %w (history starts %s): diff newer scans, or raise retention.versions / "+
			"retention.days in the config to keep more", asset.Clean(from.ID), db.ErrHistoryGone, floorLabel(floor, ok))
	}
	return nil
}

func floorLabel(floor time.Time, ok bool) string {
	if !ok {
		return "with the next scan"
	}
	return floor.UTC().Format(time.RFC3339)
}

// diffPair resolves the scans to compare: given IDs, else the last two
// complete scans (or the complete scan before To).
func (c *Cycle) diffPair(o DiffOptions) (string, string, error) {
	if o.From != "" && o.To != "" {
		return o.From, o.To, nil
	}
	scans, err := c.Store.Scans(0)
	if err != nil {
		return "", "", err
	}
	var complete []*asset.Scan // newest first
	for i := range scans {
		if scans[i].Status == asset.ScanComplete {
			complete = append(complete, &scans[i])
		}
	}
	to := o.To
	if to == "" {
		if len(complete) == 0 {
			return "", "", errors.New("no complete scan in the store: run `vigil scan` (twice, to have something to compare)")
		}
		to = complete[0].ID
	}
	if o.From != "" {
		return o.From, to, nil
	}
	toSc, err := c.Store.Scan(to)
	if err != nil {
		return "", "", err
	}
	for _, s := range complete {
		if s.Started.Before(toSc.Started) {
			return s.ID, to, nil
		}
	}
	return "", "", fmt.Errorf("no complete scan before %s to compare with: pass --from SCAN (see `vigil scans`)", asset.Clean(to))
}

// diffKeep is which assets a diff reports: the group's members (now, or
// by their last document when they were removed) within the scope.
func (c *Cycle) diffKeep(group string, sc Scope, before, after map[string]*asset.Asset) (func(string) bool, error) {
	if (group == "" || group == groups.All) && sc == nil {
		return nil, nil
	}
	in := map[string]bool{}
	if group == "" || group == groups.All {
		return func(id string) bool { return sc.Has(id) }, nil
	}
	mem, err := c.GroupMembers(group)
	if err != nil {
		return nil, err
	}
	for i := range mem {
		in[mem[i].ID] = true
	}
	// Removed assets are no member now: judge them by their old document.
	var gone []asset.Summary
	docs := map[string]*asset.Asset{}
	for id, b := range before {
		if after[id] == nil && b != nil {
			gone = append(gone, b.Summary())
			docs[id] = b
		}
	}
	if len(gone) > 0 {
		all, err := c.Store.AllSummaries()
		if err != nil {
			return nil, err
		}
		gs, err := c.groupsFor(all)
		if err != nil {
			return nil, err
		}
		for _, g := range gs {
			if g.Name != group {
				continue
			}
			for _, s := range members(g, gone, func(id string) map[string]any { return docs[id].Doc() }) {
				in[s.ID] = true
			}
		}
	}
	return func(id string) bool { return in[id] && sc.Has(id) }, nil
}

// scanHint points an unknown scan ID at where the IDs are listed.
func scanHint(err error) error {
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("%w: see `vigil scans` for scan IDs", err)
	}
	return err
}
