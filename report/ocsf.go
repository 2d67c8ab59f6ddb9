package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/rules"
)

// OCSFVersion is the OCSF schema version the findings follow: 1.3.0 is the
// first whose Compliance Finding carries resources[].
const OCSFVersion = "1.3.0"

// OCSF Compliance Finding identifiers (findings category 2, class 2003).
const (
	ocsfCategory = 2
	ocsfClass    = 2003
)

// ocsfFinding is one OCSF Compliance Finding.
type ocsfFinding struct {
	ActivityID   int             `json:"activity_id"`
	ActivityName string          `json:"activity_name"`
	CategoryUID  int             `json:"category_uid"`
	CategoryName string          `json:"category_name"`
	ClassUID     int             `json:"class_uid"`
	ClassName    string          `json:"class_name"`
	TypeUID      int             `json:"type_uid"`
	Time         int64           `json:"time"`
	Message      string          `json:"message"`
	SeverityID   int             `json:"severity_id"`
	Severity     string          `json:"severity"`
	StatusID     int             `json:"status_id"`
	Status       string          `json:"status"`
	Metadata     ocsfMetadata    `json:"metadata"`
	FindingInfo  ocsfFindingInfo `json:"finding_info"`
	Compliance   ocsfCompliance  `json:"compliance"`
	Resources    []ocsfResource  `json:"resources"`
	Cloud        ocsfCloud       `json:"cloud"`
	Remediation  *ocsfRemedy     `json:"remediation,omitempty"`
}

type ocsfMetadata struct {
	Version string      `json:"version"`
	Product ocsfProduct `json:"product"`
	Labels  []string    `json:"labels,omitempty"`
}

type ocsfProduct struct {
	Name       string `json:"name"`
	VendorName string `json:"vendor_name"`
}

type ocsfFindingInfo struct {
	UID           string   `json:"uid"`
	Title         string   `json:"title"`
	Desc          string   `json:"desc,omitempty"`
	Types         []string `json:"types"`
	CreatedTime   int64    `json:"created_time"`
	ModifiedTime  int64    `json:"modified_time,omitempty"`
	FirstSeenTime int64    `json:"first_seen_time"`
}

type ocsfCompliance struct {
	Standards    []string `json:"standards"`
	Requirements []string `json:"requirements,omitempty"`
	Control      string   `json:"control"`
	StatusID     int      `json:"status_id"`
	Status       string   `json:"status"`
}

type ocsfResource struct {
	UID            string            `json:"uid"`
	Name           string            `json:"name,omitempty"`
	Type           string            `json:"type"`
	Region         string            `json:"region,omitempty"`
	CloudPartition string            `json:"cloud_partition,omitempty"`
	Data           map[string]string `json:"data,omitempty"`
}

type ocsfCloud struct {
	Provider string       `json:"provider"`
	Region   string       `json:"region,omitempty"`
	Account  *ocsfAccount `json:"account,omitempty"`
}

type ocsfAccount struct {
	UID    string `json:"uid"`
	TypeID int    `json:"type_id"`
	Type   string `json:"type"`
}

type ocsfRemedy struct {
	Desc string `json:"desc"`
}

// ocsfSeverity maps a vigil severity onto OCSF's severity_id.
func ocsfSeverity(s string) (int, string) {
	switch s {
	case rules.SeverityCritical:
		return 5, "Critical"
	case rules.SeverityHigh:
		return 4, "High"
	case rules.SeverityMedium:
		return 3, "Medium"
	case rules.SeverityLow:
		return 2, "Low"
	}
	return 0, "Unknown"
}

// OCSFFindings maps the report's violations onto OCSF Compliance Findings,
// one per violation: open ones are new failing findings, exempt ones are
// suppressed, closed ones are resolved and passing (activity Close).
func OCSFFindings(d *Data) []ocsfFinding {
	names := d.names()
	out := make([]ocsfFinding, 0, len(d.Report.Violations))
	for _, v := range d.Report.Violations {
		out = append(out, ocsfOf(d, v, names[v.AssetID]))
	}
	return out
}

func ocsfOf(d *Data, v cycle.ReportViolation, name string) ocsfFinding {
	sevID, sev := ocsfSeverity(v.Severity)
	p := d.Policies[v.PolicyID]
	title, remedy := v.PolicyID, ""
	var frameworks []string
	if p != nil {
		title, remedy, frameworks = p.Name, p.Remediation, p.Frameworks
	}
	standards, controls := splitFrameworks(frameworks)
	f := ocsfFinding{
		ActivityID: 1, ActivityName: "Create", CategoryUID: ocsfCategory, CategoryName: "Findings",
		ClassUID: ocsfClass, ClassName: "Compliance Finding", Time: d.Report.GeneratedAt.UnixMilli(),
		Message: clean(v.Message), SeverityID: sevID, Severity: sev, StatusID: 1, Status: "New",
		Metadata: ocsfMetadata{Version: OCSFVersion, Product: ocsfProduct{Name: "vigil", VendorName: "vigil"},
			Labels: []string{"group:" + clean(d.Report.Group)}},
		FindingInfo: ocsfFindingInfo{UID: v.ID, Title: clean(title), Desc: clean(v.Message), Types: []string{"policy:" + v.PolicyID},
			CreatedTime: v.OpenedAt.UnixMilli(), FirstSeenTime: v.OpenedAt.UnixMilli()},
		Compliance: ocsfCompliance{Standards: standards, Requirements: controls, Control: v.PolicyID, StatusID: 3, Status: "Fail"},
		Resources: []ocsfResource{{UID: v.AssetID, Name: clean(name), Type: v.AssetType, Region: v.Region,
			CloudPartition: partition(v.AssetID), Data: map[string]string{"account_uid": v.Account}}},
		Cloud: ocsfCloud{Provider: "AWS", Region: v.Region},
	}
	if len(controls) > 0 {
		f.Compliance.Control = controls[0]
	}
	if v.Account != "" {
		f.Cloud.Account = &ocsfAccount{UID: v.Account, TypeID: 10, Type: "AWS Account"}
	}
	if remedy != "" {
		f.Remediation = &ocsfRemedy{Desc: clean(remedy)}
	}
	switch v.Status {
	case rules.StatusExempt:
		f.StatusID, f.Status = 3, "Suppressed"
		f.ActivityID, f.ActivityName = 2, "Update"
	case rules.StatusClosed:
		f.StatusID, f.Status = 4, "Resolved"
		f.ActivityID, f.ActivityName = 3, "Close"
		f.Compliance.StatusID, f.Compliance.Status = 1, "Pass"
		if v.ClosedAt != nil {
			f.FindingInfo.ModifiedTime = v.ClosedAt.UnixMilli()
		}
	}
	f.TypeUID = ocsfClass*100 + f.ActivityID
	return f
}

// splitFrameworks turns `cis-aws-3.0:2.1.4` entries into standards
// ("CIS AWS Foundations Benchmark v3.0") and controls ("2.1.4"); a policy
// with no framework is measured against vigil's own pack.
func splitFrameworks(fs []string) (standards, controls []string) {
	seen := map[string]bool{}
	for _, f := range fs {
		std, ctl, _ := strings.Cut(f, ":")
		name := std
		if v, ok := strings.CutPrefix(std, "cis-aws-"); ok {
			name = "CIS AWS Foundations Benchmark v" + v
		}
		if !seen[name] {
			seen[name] = true
			standards = append(standards, name)
		}
		if ctl != "" {
			controls = append(controls, ctl)
		}
	}
	if len(standards) == 0 {
		standards = []string{"vigil policy pack"}
	}
	return standards, controls
}

// partition is the ARN's partition ("aws", "aws-cn", ...), "" for non-ARNs.
func partition(id string) string {
	parts := strings.SplitN(id, ":", 3)
	if len(parts) < 3 || parts[0] != "arn" {
		return ""
	}
	return parts[1]
}

// WriteOCSF writes the findings as a JSON array.
func WriteOCSF(w io.Writer, d *Data) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(OCSFFindings(d)); err != nil {
		return fmt.Errorf("write the OCSF findings: %w", err)
	}
	return nil
}
