// Package fix holds remediation actions: each plans (reads the live resource
// and changes nothing), applies (re-reads, refuses on drift, saves the
// before-state, acts), verifies and, where reversible, undoes. Every outcome
// is an audit record.
package fix

import "time"

// Record statuses.
const (
	RecordApplied = "applied"
	RecordRefused = "refused" // drift, exemption, declined confirmation, not allowed
	RecordFailed  = "failed"
	RecordUndone  = "undone"
)

// Call is one AWS API call a fix makes, as shown in a plan and kept in the audit.
type Call struct {
	Service string         `json:"service"`
	Op      string         `json:"op"`
	Params  map[string]any `json:"params"`
}

// Record is the audit record of one fix attempt: who, what, when, the calls,
// before and after, and the result.
type Record struct {
	ID          string         `json:"id"`
	Action      string         `json:"action"`
	ViolationID string         `json:"violation_id,omitempty"`
	PolicyID    string         `json:"policy_id,omitempty"`
	AssetID     string         `json:"asset_id"`
	Account     string         `json:"account"`
	Region      string         `json:"region"`
	By          string         `json:"by"`
	At          time.Time      `json:"at"`
	Status      string         `json:"status"`
	Calls       []Call         `json:"calls"`
	Before      map[string]any `json:"before,omitempty"`
	After       map[string]any `json:"after,omitempty"`
	Error       string         `json:"error,omitempty"`
	Undoable    bool           `json:"undoable"`
	UndoOf      string         `json:"undo_of,omitempty"` // for an undo record: the record it reverses
	UndoneBy    string         `json:"undone_by,omitempty"`
}

// Plan is what a fix will do, computed from the live resource without
// changing anything: the calls, the before-state, and whether it destroys
// something (then the console asks for the resource's name to be typed).
type Plan struct {
	Action      string         `json:"action"`
	ViolationID string         `json:"violation_id,omitempty"`
	PolicyID    string         `json:"policy_id,omitempty"`
	AssetID     string         `json:"asset_id"`
	AssetName   string         `json:"asset_name"`
	Account     string         `json:"account"`
	Region      string         `json:"region"`
	Severity    string         `json:"severity,omitempty"`
	Summary     string         `json:"summary"` // one line: what changes
	Calls       []Call         `json:"calls"`
	Before      map[string]any `json:"before"`
	Destructive bool           `json:"destructive"`
	Undoable    bool           `json:"undoable"`
	Noop        bool           `json:"noop"` // the resource is already compliant: nothing to do
}
