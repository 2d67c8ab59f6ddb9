package demo

import (
	"sort"

	"github.com/vigil-sec/vigil/asset"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// authors are the operators who appear in the demo's exceptions and fixes.
func authors() []string {
	return []string{"alice@example.com", "bob@example.com", "priya.nair@example.com", "omar.hall@example.com"}
}

// writeViolations back-dates the open violations, adds closed ones,
// exceptions and fix records, and stores every violation it changed.
func (h *hist) writeViolations() error {
	existing := make(map[string]bool, len(h.vs))
	templates := map[string]*rules.Violation{}
	var active []*rules.Violation
	for i := range h.vs {
		v := &h.vs[i]
		existing[v.ID] = true
		if templates[v.PolicyID] == nil {
			templates[v.PolicyID] = v
		}
		if v.Status != rules.StatusClosed {
			h.backdate(v)
			active = append(active, v)
		}
	}
	closed, err := h.closedViolations(templates, existing, len(active)/3+4)
	if err != nil {
		return err
	}
	if err := h.exceptions(active); err != nil {
		return err
	}
	if err := h.failedAndUndoneFixes(active); err != nil {
		return err
	}
	changed := append(h.vs[:len(h.vs):len(h.vs)], closed...)
	return h.store.PutViolations(changed)
}

// pastScan returns the time of a daily scan between lo and hi days ago,
// a few minutes into the scan.
func (h *hist) pastScan(lo, hi int) time.Time {
	if hi < lo {
		hi = lo
	}
	d := lo + h.r.IntN(hi-lo+1)
	return h.scanTime(d).Add(time.Duration(2+h.r.IntN(5)) * time.Minute)
}

// daysSince is how many whole days before now t lies (at least 1).
func (h *hist) daysSince(t time.Time) int {
	return max(1, int(h.now.Sub(t)/(24*time.Hour)))
}

// backdate moves a current violation's opening into the past (never before
// its asset was first seen), and makes a few flap: opened, closed as
// compliant, re-opened.
func (h *hist) backdate(v *rules.Violation) {
	oldest := HistoryDays - 1
	if s := h.byID[v.AssetID]; s != nil {
		oldest = min(oldest, h.daysSince(s.FirstSeen.Time())-1)
	}
	if oldest < 1 || len(v.History) == 0 || v.History[0].From != "" {
		return
	}
	lo := 1
	if h.r.IntN(4) == 0 {
		oldest = min(oldest, 7) // a quarter are new this week
	}
	opened := h.pastScan(lo, oldest)
	first := v.History[0]
	first.At = opened
	rest := v.History[1:]
	var hist []rules.Transition
	if oldest-h.daysSince(opened) > 4 && h.r.IntN(8) == 0 && !strings.Contains(v.PolicyID, "encrypt") {
		d := h.daysSince(opened)
		earlier := h.pastScan(d+3, oldest)
		closedAt := h.pastScan(d+1, h.daysSince(earlier)-1)
		hist = append(hist,
			rules.Transition{At: earlier, To: rules.StatusOpen, By: "scan"},
			rules.Transition{At: closedAt, From: rules.StatusOpen, To: rules.StatusClosed, By: "scan", Reason: rules.ReasonCompliant},
			rules.Transition{At: opened, From: rules.StatusClosed, To: rules.StatusOpen, By: "scan"})
	} else {
		hist = append(hist, first)
	}
	v.History = append(hist, rest...)
	v.OpenedAt = opened
	v.UpdatedAt = v.History[len(v.History)-1].At
}

// closedViolations makes n violations that were found and have since
// closed: the resource became compliant, was deleted, or vigil fixed it.
func (h *hist) closedViolations(templates map[string]*rules.Violation, existing map[string]bool, n int) ([]rules.Violation, error) {
	if len(templates) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(templates))
	for id := range templates {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []rules.Violation
	for tries := 0; len(out) < n && tries < 20*n; tries++ {
		t := templates[ids[h.r.IntN(len(ids))]]
		kind := h.r.IntN(10)
		if t.AssetType == asset.TypeAccount && kind < 2 {
			continue // accounts are not deleted
		}
		var assetID, name string
		if kind < 2 {
			assetID, name = deletedTwin(t.AssetID, hexN(h.r.Uint64(), 16))
		} else {
			cands := h.byType[t.AssetType]
			if len(cands) == 0 {
				continue
			}
			s := cands[h.r.IntN(len(cands))]
			assetID, name = s.ID, s.Name
		}
		id := rules.ViolationID(t.PolicyID, assetID)
		if existing[id] {
			continue
		}
		existing[id] = true
		oldest := HistoryDays - 1
		if s := h.byID[assetID]; s != nil {
			oldest = max(8, min(oldest, h.daysSince(s.FirstSeen.Time())-1))
		}
		opened := h.pastScan(8, oldest)
		closedAt := h.pastScan(1, h.daysSince(opened)-1)
		v := rules.Violation{
			ID: id, PolicyID: t.PolicyID, AssetID: assetID, AssetType: t.AssetType, AssetName: name,
			Account: t.Account, Region: t.Region, Severity: t.Severity, Category: t.Category,
			Status: rules.StatusOpen, Message: renamed(t.Message, t.AssetName, name), OpenedAt: opened, UpdatedAt: opened,
			History: []rules.Transition{{At: opened, To: rules.StatusOpen, By: "scan"}},
		}
		if s := h.byID[assetID]; s != nil {
			v.Account, v.Region = s.Account, s.Region
		}
		reason, by := rules.ReasonCompliant, "scan"
		switch {
		case kind < 2:
			reason = rules.ReasonResourceDeleted
		case kind < 5:
			if rec := h.appliedFix(&v, closedAt); rec != nil {
				if err := h.store.PutFixRecord(rec); err != nil {
					return nil, err
				}
				reason, by = "fixed by vigil "+rec.ID, "vigil fix "+rec.ID
			}
		}
		out = append(out, rules.Close(v, reason, by, closedAt))
	}
	return out, nil
}

// deletedTwin invents the ID and name of a resource like id that no longer
// exists: the same account, region and kind, another identifier.
func deletedTwin(id, hex string) (string, string) {
	cut := strings.LastIndexAny(id, "/:")
	tail := id[cut+1:]
	var name string
	if dash := strings.IndexByte(tail, '-'); dash > 0 && dash < 9 && strings.HasPrefix(tail[dash:], "-0") {
		name = tail[:dash] + "-0" + hex[:min(len(hex), len(tail)-dash-2)]
	} else {
		name = tail + "-old"
	}
	return id[:cut+1] + name, name
}

// renamed swaps one asset's name for another in a message.
func renamed(msg, from, to string) string {
	if from == "" {
		return msg
	}
	return strings.ReplaceAll(msg, from, to)
}

// recordID is a fix record ID in the cycle's format.
func (h *hist) recordID(t time.Time) string {
	return "fix-" + t.UTC().Format("20060102T150405") + "-" + hexN(h.r.Uint64(), 6)
}

// appliedFix returns the record of a fix vigil applied to v at t, or nil
// when v's policy has no fix.
func (h *hist) appliedFix(v *rules.Violation, t time.Time) *fix.Record {
	p, ok := planFor(v)
	if !ok {
		return nil
	}
	rec := &fix.Record{
		ID: h.recordID(t.Add(-time.Minute)), Action: p.action, ViolationID: v.ID, PolicyID: v.PolicyID,
		AssetID: v.AssetID, Account: v.Account, Region: v.Region, By: pick(h.r, authors()), At: t.Add(-time.Minute),
		Status: fix.RecordApplied, Calls: p.calls, Before: p.before, After: p.after, Undoable: p.undoable,
	}
	if before, after, ok := h.liveFixState(p.action, v.AssetID, p.before); ok {
		rec.Before, rec.After = before, after // undoable in the demo world (see liveFixState)
	}
	return rec
}

// assetTail is the last identifier of an asset ID (the group, instance,
// bucket or key ID).
func assetTail(id string) string { return id[strings.LastIndexAny(id, "/:")+1:] }
