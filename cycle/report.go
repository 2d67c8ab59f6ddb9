package cycle

import (
	"fmt"
	"sort"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

// Report is `vigil report --format json`, in the architecture's shape.
type Report struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Group       string            `json:"group"`
	Scan        ReportScan        `json:"scan"`
	Compliance  map[string]int    `json:"compliance"`
	Policies    []ReportPolicy    `json:"policies"`
	Violations  []ReportViolation `json:"violations"`
}

// ReportScan names the last scan.
type ReportScan struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// ReportPolicy is one policy's line of the report.
type ReportPolicy struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Severity   string `json:"severity"`
	Category   string `json:"category"`
	Evaluated  int    `json:"evaluated"`
	Open       int    `json:"open"`
	Exempt     int    `json:"exempt"`
	Errors     int    `json:"errors"` // assets the check could not judge in the last evaluation
	Compliance int    `json:"compliance"`
}

// ReportViolation is one violation's line of the report.
type ReportViolation struct {
	ID        string     `json:"id"`
	PolicyID  string     `json:"policy_id"`
	AssetID   string     `json:"asset_id"`
	AssetType string     `json:"asset_type"`
	Account   string     `json:"account"`
	Region    string     `json:"region"`
	Severity  string     `json:"severity"`
	Status    string     `json:"status"`
	Message   string     `json:"message"`
	OpenedAt  time.Time  `json:"opened_at"`
	ClosedAt  *time.Time `json:"closed_at"`
}

// GroupMembers returns the summaries of a group's members.
func (c *Cycle) GroupMembers(name string) ([]asset.Summary, error) {
	sums, err := c.Store.AllSummaries()
	if err != nil {
		return nil, err
	}
	if name == "" || name == groups.All {
		return sums, nil
	}
	gs, err := c.groupsFor(sums)
	if err != nil {
		return nil, err
	}
	for _, g := range gs {
		if g.Name == name {
			mem := members(g, sums, func(id string) map[string]any {
				a, err := c.Store.Asset(id)
				if err != nil {
					return nil
				}
				return a.Doc()
			})
			out := make([]asset.Summary, len(mem))
			for i, s := range mem {
				out[i] = *s
			}
			return out, nil
		}
	}
	return nil, fmt.Errorf("no group named %q (see `vigil groups list`)", name)
}

// GroupViolations returns the violations of a group's members that f selects.
func (c *Cycle) GroupViolations(group string, f db.ViolationFilter) ([]rules.Violation, []asset.Summary, error) {
	mem, err := c.GroupMembers(group)
	if err != nil {
		return nil, nil, err
	}
	vs, err := c.Store.Violations(f)
	if err != nil {
		return nil, nil, err
	}
	in := make(map[string]bool, len(mem))
	for _, s := range mem {
		in[s.ID] = true
	}
	out := vs[:0]
	for _, v := range vs {
		if in[v.AssetID] || group == "" || group == groups.All {
			out = append(out, v)
		}
	}
	return out, mem, nil
}

// BuildReport computes the report of a group; all includes closed violations.
func (c *Cycle) BuildReport(group string, all bool) (*Report, error) {
	return c.BuildReportIn(group, all, nil)
}

// GroupViolationsIn is GroupViolations confined to a scope (nil: all).
func (c *Cycle) GroupViolationsIn(group string, f db.ViolationFilter, sc Scope) ([]rules.Violation, []asset.Summary, error) {
	vs, mem, err := c.GroupViolations(group, f)
	if err != nil || sc == nil {
		return vs, mem, err
	}
	return confineViolations(vs, sc), confine(mem, sc), nil
}

// BuildReportIn is BuildReport confined to a scope (an actor's groups;
// nil: everything): scores, policies and violations count only its assets.
func (c *Cycle) BuildReportIn(group string, all bool, sc Scope) (*Report, error) {
	if group == "" {
		group = groups.All
	}
	vs, mem, err := c.GroupViolationsIn(group, db.ViolationFilter{}, sc)
	if err != nil {
		return nil, err
	}
	ps, _, err := c.Policies()
	if err != nil {
		return nil, err
	}
	ptrs := make([]*asset.Summary, len(mem))
	for i := range mem {
		ptrs[i] = &mem[i]
	}
	s := c.scoreGroup(ps, group, rules.DefaultDomain, ptrs, vs, c.EvalErrors())
	r := &Report{GeneratedAt: c.now(), Group: group, Compliance: map[string]int{"overall": s.Overall},
		Policies: []ReportPolicy{}, Violations: []ReportViolation{}}
	for k, v := range s.Categories {
		r.Compliance[k] = v
	}
	if sc, err := c.Store.LastScan(); err == nil {
		r.Scan = ReportScan{ID: sc.ID, Status: sc.Status}
	}
	for _, p := range s.Policies {
		r.Policies = append(r.Policies, ReportPolicy{ID: p.PolicyID, Name: p.Name, Severity: p.Severity,
			Category: p.Category, Evaluated: p.Evaluated, Open: p.Open, Exempt: p.Exempt, Errors: p.Errors, Compliance: p.Compliance})
	}
	for _, v := range vs {
		if v.Status == rules.StatusClosed && !all {
			continue
		}
		r.Violations = append(r.Violations, ReportViolation{ID: v.ID, PolicyID: v.PolicyID, AssetID: v.AssetID,
			AssetType: v.AssetType, Account: v.Account, Region: v.Region, Severity: v.Severity, Status: v.Status,
			Message: v.Message, OpenedAt: v.OpenedAt, ClosedAt: v.ClosedAt})
	}
	sort.Slice(r.Violations, func(i, j int) bool {
		a, b := r.Violations[i], r.Violations[j]
		if a.PolicyID != b.PolicyID {
			return a.PolicyID < b.PolicyID
		}
		return a.AssetID < b.AssetID
	})
	return r, nil
}
