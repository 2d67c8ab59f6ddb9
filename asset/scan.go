package asset

import "time"

// Scan statuses.
const (
	ScanRunning  = "running"
	ScanComplete = "complete"
	ScanPartial  = "partial"
	ScanFailed   = "failed"
	ScanAborted  = "aborted" // found running when the store was next opened
)

// Unit statuses.
const (
	UnitPending  = "pending"
	UnitComplete = "complete"
	UnitFailed   = "failed"
)

// UnitKey names one scan unit: an (account, region, resource type) triple.
// Region is Global for resource types listed once per account.
type UnitKey struct {
	Account string `json:"account"`
	Region  string `json:"region"`
	Type    string `json:"type"`
}

// String renders the unit as account/region/type.
func (u UnitKey) String() string { return u.Account + "/" + u.Region + "/" + u.Type }

// Contains reports whether an asset summary belongs to this unit: the same
// account and type, and the same region unless the unit is global.
func (u UnitKey) Contains(s *Summary) bool {
	return s.Account == u.Account && s.Type == u.Type && (u.Region == Global || s.Region == u.Region)
}

// Unit is the outcome of one unit in one scan.
type Unit struct {
	UnitKey
	Status   string        `json:"status"`
	Error    string        `json:"error,omitempty"`
	Assets   int           `json:"assets"`
	Duration time.Duration `json:"duration"`
}

// Scan is the record of one scan: when, who started it, and every unit.
type Scan struct {
	ID       string    `json:"id"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitempty"`
	Status   string    `json:"status"`
	Source   string    `json:"source"` // "aws", "demo", ...
	By       string    `json:"by"`
	Units    []Unit    `json:"units"`
}

// Counts returns how many units completed and failed.
func (s *Scan) Counts() (complete, failed int) {
	for _, u := range s.Units {
		switch u.Status {
		case UnitComplete:
			complete++
		case UnitFailed:
			failed++
		}
	}
	return complete, failed
}
