package rules

import (
	"fmt"
	"strings"
)

// Severity is how bad a failing policy is. Fields keep the plain string (the
// YAML and JSON contracts), and every rule about severities lives here.
type Severity string

// Severities lists the known severities, worst first.
func Severities() []Severity {
	return []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow}
}

// ParseSeverity reads a severity name, as in --fail-on or a filter.
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() < len(Severities()) {
		return v, nil
	}
	return "", fmt.Errorf("unknown severity %q (want critical, high, medium or low)", s)
}

// Rank orders severities worst first: critical 0 … low 3; an unknown
// severity sorts last.
func (s Severity) Rank() int {
	switch s {
	case SeverityCritical:
		return 0
	case SeverityHigh:
		return 1
	case SeverityMedium:
		return 2
	case SeverityLow:
		return 3
	}
	return 4
}

// Weight is PacBot's weight of a policy of this severity within its
// category: critical 10, high 5, medium 3, low 1, unknown 0.
func (s Severity) Weight() int {
	switch s {
	case SeverityCritical:
		return 10
	case SeverityHigh:
		return 5
	case SeverityMedium:
		return 3
	case SeverityLow:
		return 1
	}
	return 0
}

// AtLeast reports whether s is as bad as min or worse.
func (s Severity) AtLeast(min Severity) bool { return s.Rank() <= min.Rank() }

// SeverityRank is Severity(s).Rank() for the string fields of policies and
// violations.
func SeverityRank(s string) int { return Severity(s).Rank() }
