package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// Reasons recorded when a violation closes.
const (
	ReasonCompliant       = "compliant"
	ReasonResourceDeleted = "resource deleted"
	ReasonPolicyDisabled  = "policy disabled"
)

// ViolationID is the stable ID of the violation of a policy on an asset: the
// first 16 bytes of SHA-256 over both IDs, in hex. One pair, one ID, ever.
func ViolationID(policyID, assetID string) string {
	h := sha256.New()
	h.Write([]byte(policyID))
	h.Write([]byte{0})
	h.Write([]byte(assetID))
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ReconcileInput is what one evaluation decides violation changes from.
type ReconcileInput struct {
	// Current holds the stored violations (any status) the evaluation may
	// touch; typically all of them.
	Current []Violation
	// Results are this evaluation's results. A result with Err is ignored.
	Results []Result
	// Policies by ID, for severity and category of new violations.
	Policies map[string]*Policy
	// Asset returns an asset by ID (for identity fields and sticky
	// exception criteria); nil when unknown.
	Asset func(id string) *asset.Asset
	// Completed holds the IDs of assets in units that completed in this
	// scan. Results for other assets (failed or partial units) change
	// nothing. Nil means every result counts (an evaluation without a scan).
	Completed map[string]bool
	// Deleted holds the IDs of assets that completed units found gone.
	Deleted map[string]bool
	// Disabled holds the IDs of policies switched off.
	Disabled map[string]bool
	// Exceptions are all stored exceptions; inactive ones are skipped.
	Exceptions []Exception
	Now        time.Time
	By         string // who runs the evaluation: "scan", a user name...
}

// Reconcile applies the lifecycle to one evaluation and returns the
// violations that changed (new ones included), ready to store:
//   - fail -> open, or exempt when an active exception covers it; a closed
//     violation that fails again re-opens under the same ID;
//   - pass -> closed "compliant";
//   - asset deleted by a completed unit -> closed "resource deleted";
//   - policy disabled -> closed "policy disabled";
//   - an exempt violation whose exception expired or was revoked re-opens,
//     and an open one that a new exception covers becomes exempt, whether
//     or not its asset was evaluated again;
//   - an asset outside the completed units is never closed.
//
// Every change of status is appended to the violation's history.
func Reconcile(in ReconcileInput) []Violation {
	byID := make(map[string]*Violation, len(in.Current))
	for i := range in.Current {
		v := in.Current[i]
		byID[v.ID] = &v
	}
	ex := newExceptionSet(in.Exceptions, in.Now)
	changed := map[string]bool{}
	docs := map[string]map[string]any{}
	docOf := func(id string) func() map[string]any {
		return func() map[string]any {
			if d, ok := docs[id]; ok {
				return d
			}
			var d map[string]any
			if in.Asset != nil {
				if a := in.Asset(id); a != nil {
					d = a.Doc()
				}
			}
			docs[id] = d
			return d
		}
	}
	seen := map[string]bool{}
	for _, r := range in.Results {
		if r.Err != nil || in.Disabled[r.PolicyID] || (in.Completed != nil && !in.Completed[r.AssetID]) {
			continue
		}
		id := ViolationID(r.PolicyID, r.AssetID)
		seen[id] = true
		v := byID[id]
		if r.Pass {
			if v != nil && v.Status != StatusClosed && transition(v, StatusClosed, ReasonCompliant, "", in.By, in.Now) {
				changed[id] = true
			}
			continue
		}
		if v == nil {
			v = newViolation(id, r, in)
			byID[id] = v
		}
		if v.Message != r.Message && r.Message != "" {
			v.Message = r.Message
			v.UpdatedAt = in.Now
			changed[id] = true
		}
		if applyException(v, ex.find(v, docOf(r.AssetID)), in.By, in.Now) {
			changed[id] = true
		}
	}
	for id, v := range byID {
		if v.Status == StatusClosed {
			continue
		}
		switch {
		case in.Disabled[v.PolicyID]:
			if transition(v, StatusClosed, ReasonPolicyDisabled, "", in.By, in.Now) {
				changed[id] = true
			}
		case in.Deleted[v.AssetID]:
			if transition(v, StatusClosed, ReasonResourceDeleted, "", in.By, in.Now) {
				changed[id] = true
			}
		case !seen[id]:
			if applyException(v, ex.find(v, docOf(v.AssetID)), in.By, in.Now) {
				changed[id] = true
			}
		}
	}
	out := make([]Violation, 0, len(changed))
	for id := range changed {
		out = append(out, *byID[id])
	}
	sortViolations(out)
	return out
}

func newViolation(id string, r Result, in ReconcileInput) *Violation {
	v := &Violation{ID: id, PolicyID: r.PolicyID, AssetID: r.AssetID, Message: r.Message}
	if p := in.Policies[r.PolicyID]; p != nil {
		v.Severity, v.Category = p.Severity, p.Category
		if v.Message == "" {
			v.Message = p.Name
		}
	}
	if in.Asset != nil {
		if a := in.Asset(r.AssetID); a != nil {
			v.AssetType, v.AssetName, v.Account, v.Region = a.Type, asset.Clean(a.Name), a.Account, a.Region
		}
	}
	return v
}

// applyException moves a failing, not closed (or new) violation to exempt
// under e, or to open when e is nil. It reports whether v changed.
func applyException(v *Violation, e *Exception, by string, now time.Time) bool {
	if e == nil {
		if v.Status == StatusOpen {
			return false
		}
		reason := ""
		if v.Status == StatusExempt {
			reason = "exception " + v.ExceptionID + " no longer applies"
		}
		v.ExceptionID = ""
		return transition(v, StatusOpen, reason, "", by, now)
	}
	if v.Status == StatusExempt && v.ExceptionID == e.ID {
		return false
	}
	return transition(v, StatusExempt, "exception "+e.ID+": "+e.Reason, e.ID, by, now)
}

// transition moves v to status with a reason and records it; it reports
// false when v already had that status and exception.
func transition(v *Violation, to, reason, exceptionID, by string, now time.Time) bool {
	if v.Status == to && v.ExceptionID == exceptionID {
		return false
	}
	from := v.Status
	// The full slice expression makes append copy, so a caller's stored
	// slice is never written through.
	v.History = append(v.History[:len(v.History):len(v.History)], Transition{At: now, From: from, To: to, By: by, Reason: reason})
	v.Status, v.UpdatedAt = to, now
	// A violation closed only because its policy was switched off keeps
	// its age when the policy comes back: the resource was never judged
	// compliant in between (issue 16 §2.1).
	restart := from == "" || (from == StatusClosed && v.Reason != ReasonPolicyDisabled)
	switch to {
	case StatusOpen:
		if restart {
			v.OpenedAt = now
		}
		v.ClosedAt, v.Reason, v.ExceptionID = nil, "", ""
	case StatusExempt:
		if restart {
			v.OpenedAt = now
		}
		v.ClosedAt, v.Reason, v.ExceptionID = nil, reason, exceptionID
	case StatusClosed:
		t := now
		v.ClosedAt, v.Reason, v.ExceptionID = &t, reason, ""
	}
	return true
}

// Close closes a violation outside a scan, for a fix whose verification
// passed; reason is e.g. "fixed by vigil <record>". A closed violation is
// returned unchanged.
func Close(v Violation, reason, by string, now time.Time) Violation {
	if v.Status != StatusClosed {
		transition(&v, StatusClosed, reason, "", by, now)
	}
	return v
}
