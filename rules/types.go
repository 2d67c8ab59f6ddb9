// Package rules holds policies as code: loading YAML policies with CEL checks,
// the embedded built-in pack, evaluation, the violation lifecycle, exceptions
// and compliance scores.
package rules

import (
	"time"

	"github.com/vigil-sec/vigil/groups"
)

// Severities and their weights in the compliance math.
const (
	SeverityCritical = "critical"
	SeverityHigh     = "high"
	SeverityMedium   = "medium"
	SeverityLow      = "low"
)

// Categories of policies.
const (
	CategorySecurity   = "security"
	CategoryGovernance = "governance"
	CategoryCost       = "cost"
	CategoryTagging    = "tagging"
)

// Violation statuses.
const (
	StatusOpen   = "open"
	StatusExempt = "exempt"
	StatusClosed = "closed"
)

// Policy is one compliance rule: a CEL check over resources of some types.
type Policy struct {
	ID          string         `json:"id" yaml:"id"`
	Name        string         `json:"name" yaml:"name"`
	Description string         `json:"description,omitempty" yaml:"description,omitempty"`
	Resources   []string       `json:"resources" yaml:"-"` // from `resource:` (string or list)
	Severity    string         `json:"severity" yaml:"severity"`
	Category    string         `json:"category" yaml:"category"`
	Domain      string         `json:"domain,omitempty" yaml:"domain,omitempty"` // "cloud" by default
	Frameworks  []string       `json:"frameworks,omitempty" yaml:"frameworks,omitempty"`
	Params      map[string]any `json:"params,omitempty" yaml:"params,omitempty"`
	Check       string         `json:"check" yaml:"check"`
	Message     string         `json:"message,omitempty" yaml:"message,omitempty"`
	Remediation string         `json:"remediation,omitempty" yaml:"remediation,omitempty"`
	Fix         string         `json:"fix,omitempty" yaml:"fix,omitempty"`
	Autofix     bool           `json:"autofix" yaml:"autofix"`
	Group       string         `json:"group,omitempty" yaml:"group,omitempty"` // scope to an asset group
	Disabled    bool           `json:"disabled,omitempty" yaml:"disabled,omitempty"`
	Tests       []PolicyTest   `json:"tests,omitempty" yaml:"tests,omitempty"`
	File        string         `json:"file,omitempty" yaml:"-"` // where it was loaded from
	Builtin     bool           `json:"builtin,omitempty" yaml:"-"`
}

// PolicyTest is an inline test case of a policy.
type PolicyTest struct {
	Name      string                      `json:"name" yaml:"name"`
	Resource  map[string]any              `json:"resource" yaml:"resource"`
	Params    map[string]any              `json:"params,omitempty" yaml:"params,omitempty"`
	Related   map[string][]map[string]any `json:"related,omitempty" yaml:"related,omitempty"` // type -> related docs
	Compliant bool                        `json:"compliant" yaml:"compliant"`
}

// PolicyState is the operator's per-installation override of a policy,
// stored and audited: enabled/disabled and the autofix flag.
type PolicyState struct {
	PolicyID string    `json:"policy_id"`
	Disabled bool      `json:"disabled"`
	Autofix  *bool     `json:"autofix,omitempty"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// Transition is one entry in a violation's history.
type Transition struct {
	At     time.Time `json:"at"`
	From   string    `json:"from"` // "" for the first opening
	To     string    `json:"to"`
	By     string    `json:"by"` // "scan", "autofix", a user name, "vigil fix <record>"
	Reason string    `json:"reason,omitempty"`
}

// Violation is the tracked failure of one policy on one asset. Its ID is a
// stable hash of (policy ID, asset ID): one violation per pair, ever.
type Violation struct {
	ID          string       `json:"id"`
	PolicyID    string       `json:"policy_id"`
	AssetID     string       `json:"asset_id"`
	AssetType   string       `json:"asset_type"`
	AssetName   string       `json:"asset_name"`
	Account     string       `json:"account"`
	Region      string       `json:"region"`
	Severity    string       `json:"severity"`
	Category    string       `json:"category"`
	Status      string       `json:"status"`
	Message     string       `json:"message"`
	Reason      string       `json:"reason,omitempty"` // why it closed or is exempt
	ExceptionID string       `json:"exception_id,omitempty"`
	OpenedAt    time.Time    `json:"opened_at"`
	ClosedAt    *time.Time   `json:"closed_at"`
	UpdatedAt   time.Time    `json:"updated_at"`
	History     []Transition `json:"history"`
}

// Exception kinds.
const (
	ExceptionIndividual = "individual"
	ExceptionSticky     = "sticky"
)

// Exception exempts violations from counting as open. An individual exception
// covers one violation; a sticky one covers every asset its criteria select
// (now and later) for the listed policies (all policies when empty).
type Exception struct {
	ID          string        `json:"id"`
	Kind        string        `json:"kind"`
	ViolationID string        `json:"violation_id,omitempty"`
	PolicyIDs   []string      `json:"policy_ids,omitempty"`
	Criteria    *groups.Group `json:"criteria,omitempty"`
	Reason      string        `json:"reason"`
	Author      string        `json:"author"`
	Created     time.Time     `json:"created"`
	Expires     time.Time     `json:"expires"`
	RevokedAt   *time.Time    `json:"revoked_at,omitempty"`
	RevokedBy   string        `json:"revoked_by,omitempty"`
}

// Active reports whether the exception applies at t: not revoked, not expired.
func (e *Exception) Active(t time.Time) bool {
	return e.RevokedAt == nil && (e.Expires.IsZero() || t.Before(e.Expires))
}

// PolicyScore is one policy's compliance within a group.
type PolicyScore struct {
	PolicyID   string `json:"id"`
	Name       string `json:"name"`
	Severity   string `json:"severity"`
	Category   string `json:"category"`
	Domain     string `json:"domain"`
	Evaluated  int    `json:"evaluated"`
	Open       int    `json:"open"`
	Exempt     int    `json:"exempt"`
	Errors     int    `json:"errors"` // assets the check could not judge in the last evaluation
	Compliance int    `json:"compliance"`
}

// Scores is the compliance of one group: overall, per category, per policy.
type Scores struct {
	Group      string         `json:"group"`
	Domain     string         `json:"domain"`
	Overall    int            `json:"overall"`
	Categories map[string]int `json:"categories"`
	Policies   []PolicyScore  `json:"policies"`
}

// TrendPoint is one day's compliance of one group in one domain.
type TrendPoint struct {
	Group      string         `json:"group"`
	Domain     string         `json:"domain"`
	Day        string         `json:"day"` // YYYY-MM-DD, UTC
	Overall    int            `json:"overall"`
	Categories map[string]int `json:"categories"`
	Policies   map[string]int `json:"policies,omitempty"`
	Open       int            `json:"open"`
	Assets     int            `json:"assets"`
}
