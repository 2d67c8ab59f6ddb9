// Package report writes a group's compliance report in the formats people
// read and tools import: Markdown, CSV, HTML, OCSF, ASFF and JUnit. Every
// writer takes the same Data; each escapes untrusted strings (asset IDs and
// names, tags, messages) for its own format.
package report

import (
	"sort"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/rules"
)

// Data is what every format reads: the report of a group and the context a
// format needs beyond it.
type Data struct {
	Report   *cycle.Report
	Policies map[string]*rules.Policy // by ID: frameworks, remediation, resource types
	Members  []asset.Summary          // the group's assets (JUnit's test cases, names)
	Trend    []rules.TrendPoint       // daily points, oldest first (HTML's chart)
}

// PolicyIndex maps policies by ID.
func PolicyIndex(ps []*rules.Policy) map[string]*rules.Policy {
	m := make(map[string]*rules.Policy, len(ps))
	for _, p := range ps {
		m[p.ID] = p
	}
	return m
}

// severityRank orders severities, critical first; unknown ones sort last.
func severityRank(s string) int {
	switch s {
	case rules.SeverityCritical:
		return 0
	case rules.SeverityHigh:
		return 1
	case rules.SeverityMedium:
		return 2
	case rules.SeverityLow:
		return 3
	}
	return 4
}

// severities lists the known severities, most severe first.
func severities() []string {
	return []string{rules.SeverityCritical, rules.SeverityHigh, rules.SeverityMedium, rules.SeverityLow}
}

// ValidSeverity reports whether s names a severity.
func ValidSeverity(s string) bool { return severityRank(s) < 4 }

// Breaches returns the open (not exempt) violations at or above floor, most
// severe first: what `--fail-on` fails a pipeline for.
func Breaches(r *cycle.Report, floor string) []cycle.ReportViolation {
	limit := severityRank(floor)
	var out []cycle.ReportViolation
	for _, v := range r.Violations {
		if v.Status == rules.StatusOpen && severityRank(v.Severity) <= limit {
			out = append(out, v)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return severityRank(out[i].Severity) < severityRank(out[j].Severity) })
	return out
}

// names maps asset IDs to their names.
func (d *Data) names() map[string]string {
	m := make(map[string]string, len(d.Members))
	for _, s := range d.Members {
		if s.Name != "" {
			m[s.ID] = s.Name
		}
	}
	return m
}
