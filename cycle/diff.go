package cycle

import (
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// ScanDiff is what changed between two scans (or two saved-scan files):
// assets added, removed and changed attribute by attribute, violations
// opened, closed, exempted and re-opened, and compliance per group. Its
// JSON form is what `vigil diff --json` prints.
type ScanDiff struct {
	From       DiffSide                    `json:"from"`
	To         DiffSide                    `json:"to"`
	Group      string                      `json:"group,omitempty"`
	Assets     AssetChanges                `json:"assets"`
	Violations ViolationChanges            `json:"violations"`
	Compliance map[string]ComplianceChange `json:"compliance"`
}

// DiffSide names one side of a diff: a scan of the store, or a file.
type DiffSide struct {
	Scan    string    `json:"scan"`
	Started time.Time `json:"started"`
	Status  string    `json:"status"`
	File    string    `json:"file,omitempty"`
}

// AssetChanges lists the assets a diff found added, removed and changed.
type AssetChanges struct {
	Added   []AssetRef    `json:"added"`
	Removed []AssetRef    `json:"removed"`
	Changed []AssetChange `json:"changed"`
}

// AssetRef identifies an asset in a diff.
type AssetRef struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Name    string `json:"name"`
	Account string `json:"account"`
	Region  string `json:"region"`
}

// AssetChange is one changed asset with every attribute path that changed.
type AssetChange struct {
	AssetRef
	Changes []asset.Change `json:"changes"`
}

// ViolationChanges lists violations by what happened to them between the
// two sides (judged by their status on each side).
type ViolationChanges struct {
	Opened   []ViolationRef `json:"opened"`
	Closed   []ViolationRef `json:"closed"`
	Exempted []ViolationRef `json:"exempted"`
	Reopened []ViolationRef `json:"reopened"`
}

// ViolationRef identifies a violation in a diff.
type ViolationRef struct {
	ID       string `json:"id"`
	PolicyID string `json:"policy_id"`
	AssetID  string `json:"asset_id"`
	Severity string `json:"severity"`
	Before   string `json:"before"` // status on the from side, "" when it did not exist
	After    string `json:"after"`
	Message  string `json:"message"`
}

// ComplianceChange is a group's overall compliance on each side; nil when
// that side recorded none (a scan from before vigil kept it).
type ComplianceChange struct {
	Before *int `json:"before"`
	After  *int `json:"after"`
	Change *int `json:"change"`
}

// Empty reports whether the diff found no change at all.
func (d *ScanDiff) Empty() bool {
	a, v := &d.Assets, &d.Violations
	return len(a.Added)+len(a.Removed)+len(a.Changed)+len(v.Opened)+len(v.Closed)+len(v.Exempted)+len(v.Reopened) == 0
}

func refOf(a *asset.Asset) AssetRef {
	return AssetRef{ID: a.ID, Type: a.Type, Name: a.Name, Account: a.Account, Region: a.Region}
}

// diffAssets compares before and after documents of the candidate IDs;
// keep, when set, says which to report.
func diffAssets(ids []string, before, after map[string]*asset.Asset, keep func(id string) bool) AssetChanges {
	out := AssetChanges{Added: []AssetRef{}, Removed: []AssetRef{}, Changed: []AssetChange{}}
	for _, id := range ids {
		if keep != nil && !keep(id) {
			continue
		}
		b, a := before[id], after[id]
		switch {
		case b == nil && a == nil:
		case b == nil:
			out.Added = append(out.Added, refOf(a))
		case a == nil:
			out.Removed = append(out.Removed, refOf(b))
		default:
			if cs := asset.DocDiff(b, a); len(cs) > 0 {
				out.Changed = append(out.Changed, AssetChange{AssetRef: refOf(a), Changes: cs})
			}
		}
	}
	sortRefs := func(rs []AssetRef) { sort.Slice(rs, func(i, j int) bool { return rs[i].ID < rs[j].ID }) }
	sortRefs(out.Added)
	sortRefs(out.Removed)
	sort.Slice(out.Changed, func(i, j int) bool { return out.Changed[i].ID < out.Changed[j].ID })
	return out
}

// classify files a violation by its status before and after ("" when it
// did not exist): opened (new and open), closed, exempted, re-opened
// (open again after closed or exempt). A violation that came and went
// between the sides is none of them.
func classify(out *ViolationChanges, v *rules.Violation, before, after string) {
	if before == after {
		return
	}
	r := ViolationRef{ID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID, Severity: v.Severity,
		Before: before, After: after, Message: v.Message}
	switch after {
	case rules.StatusOpen:
		if before == "" {
			out.Opened = append(out.Opened, r)
		} else {
			out.Reopened = append(out.Reopened, r)
		}
	case rules.StatusExempt:
		out.Exempted = append(out.Exempted, r)
	case rules.StatusClosed:
		if before != "" {
			out.Closed = append(out.Closed, r)
		}
	}
}

func newViolationChanges() ViolationChanges {
	return ViolationChanges{Opened: []ViolationRef{}, Closed: []ViolationRef{}, Exempted: []ViolationRef{}, Reopened: []ViolationRef{}}
}

func sortViolationChanges(v *ViolationChanges) {
	for _, rs := range [][]ViolationRef{v.Opened, v.Closed, v.Exempted, v.Reopened} {
		sort.Slice(rs, func(i, j int) bool {
			if rs[i].PolicyID != rs[j].PolicyID {
				return rs[i].PolicyID < rs[j].PolicyID
			}
			return rs[i].AssetID < rs[j].AssetID
		})
	}
}

// statusAt is a violation's status just before t (from its history); the
// current status when t is zero; "" when it did not exist yet.
func statusAt(v *rules.Violation, t time.Time) string {
	if t.IsZero() {
		return v.Status
	}
	st := ""
	for _, tr := range v.History {
		if !tr.At.Before(t) {
			break
		}
		st = tr.To
	}
	return st
}

// diffCompliance compares the default domain's overall score per group.
func diffCompliance(before, after db.ScanCompliance, group string) map[string]ComplianceChange {
	out := map[string]ComplianceChange{}
	score := func(c db.ScanCompliance, g string) *int {
		if c == nil {
			return nil
		}
		s, ok := c[g][rules.DefaultDomain]
		if !ok {
			return nil
		}
		n := s.Overall
		return &n
	}
	names := map[string]bool{}
	for g := range before {
		names[g] = true
	}
	for g := range after {
		names[g] = true
	}
	for g := range names {
		if group != "" && g != group {
			continue
		}
		c := ComplianceChange{Before: score(before, g), After: score(after, g)}
		if c.Before != nil && c.After != nil {
			d := *c.After - *c.Before
			c.Change = &d
		}
		out[g] = c
	}
	return out
}
