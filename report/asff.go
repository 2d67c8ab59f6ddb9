package report

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/vigil-sec/vigil/rules"
)

// ASFFSchemaVersion is the AWS Security Finding Format version written.
const ASFFSchemaVersion = "2018-10-08"

// ASFFFinding is one AWS Security Finding Format finding, the fields
// BatchImportFindings requires and the ones vigil fills.
type ASFFFinding struct {
	SchemaVersion string           `json:"SchemaVersion"`
	ID            string           `json:"Id"`
	ProductArn    string           `json:"ProductArn"`
	ProductName   string           `json:"ProductName"`
	CompanyName   string           `json:"CompanyName"`
	GeneratorID   string           `json:"GeneratorId"`
	AwsAccountID  string           `json:"AwsAccountId"`
	Region        string           `json:"Region,omitempty"`
	Types         []string         `json:"Types"`
	CreatedAt     string           `json:"CreatedAt"`
	UpdatedAt     string           `json:"UpdatedAt"`
	Severity      ASFFSeverity     `json:"Severity"`
	Title         string           `json:"Title"`
	Description   string           `json:"Description"`
	Remediation   *ASFFRemediation `json:"Remediation,omitempty"`
	Resources     []ASFFResource   `json:"Resources"`
	Compliance    ASFFCompliance   `json:"Compliance"`
	Workflow      ASFFWorkflow     `json:"Workflow"`
	RecordState   string           `json:"RecordState"`
}

// ASFFSeverity is the finding's severity label.
type ASFFSeverity struct {
	Label string `json:"Label"`
}

// ASFFRemediation is the recommendation text.
type ASFFRemediation struct {
	Recommendation struct {
		Text string `json:"Text"`
	} `json:"Recommendation"`
}

// ASFFResource is the asset a finding is about.
type ASFFResource struct {
	Type      string `json:"Type"`
	ID        string `json:"Id"`
	Partition string `json:"Partition,omitempty"`
	Region    string `json:"Region,omitempty"`
}

// ASFFCompliance is the control's result: PASSED or FAILED.
type ASFFCompliance struct {
	Status              string   `json:"Status"`
	RelatedRequirements []string `json:"RelatedRequirements,omitempty"`
	SecurityControlID   string   `json:"SecurityControlId,omitempty"`
}

// ASFFWorkflow is the finding's investigation status.
type ASFFWorkflow struct {
	Status string `json:"Status"`
}

// asffType maps vigil's asset types onto Security Hub's resource types.
func asffType(t string) string {
	switch t {
	case "aws.s3.bucket":
		return "AwsS3Bucket"
	case "aws.ec2.security-group":
		return "AwsEc2SecurityGroup"
	case "aws.ec2.instance":
		return "AwsEc2Instance"
	case "aws.ec2.volume":
		return "AwsEc2Volume"
	case "aws.ec2.vpc":
		return "AwsEc2Vpc"
	case "aws.ec2.eip":
		return "AwsEc2Eip"
	case "aws.iam.user":
		return "AwsIamUser"
	case "aws.iam.role":
		return "AwsIamRole"
	case "aws.iam.policy":
		return "AwsIamPolicy"
	case "aws.rds.instance":
		return "AwsRdsDbInstance"
	case "aws.rds.snapshot":
		return "AwsRdsDbSnapshot"
	case "aws.lambda.function":
		return "AwsLambdaFunction"
	case "aws.kms.key":
		return "AwsKmsKey"
	case "aws.cloudtrail.trail":
		return "AwsCloudTrailTrail"
	case "aws.elbv2.load-balancer":
		return "AwsElbv2LoadBalancer"
	case "aws.account":
		return "AwsAccount"
	}
	return "Other"
}

// ProductArn is the ARN of a custom Security Hub integration in an account
// and region: findings an account imports about itself.
func ProductArn(region, account string) string {
	return fmt.Sprintf("arn:aws:securityhub:%s:%s:product/%s/default", region, account, account)
}

// ASFFFindings maps the report's violations onto ASFF, one per violation:
// open ones FAILED/NEW, exempt ones FAILED/SUPPRESSED, closed ones
// PASSED/RESOLVED and ARCHIVED. region names where they are imported
// ("" for each violation's own region, us-east-1 for global resources).
func ASFFFindings(d *Data, region string) []ASFFFinding {
	at := d.Report.GeneratedAt.UTC().Format(time.RFC3339)
	out := make([]ASFFFinding, 0, len(d.Report.Violations))
	for _, v := range d.Report.Violations {
		home := region
		if home == "" {
			home = v.Region
		}
		if home == "" || home == "global" {
			home = "us-east-1"
		}
		p := d.Policies[v.PolicyID]
		title, remedy := v.PolicyID, ""
		var frameworks []string
		if p != nil {
			title, remedy, frameworks = p.Name, p.Remediation, p.Frameworks
		}
		f := ASFFFinding{SchemaVersion: ASFFSchemaVersion, ID: "vigil/" + v.ID, ProductArn: ProductArn(home, v.Account),
			ProductName: "vigil", CompanyName: "vigil", GeneratorID: "vigil/" + v.PolicyID, AwsAccountID: v.Account, Region: home,
			Types:     []string{"Software and Configuration Checks/Industry and Regulatory Standards"},
			CreatedAt: v.OpenedAt.UTC().Format(time.RFC3339), UpdatedAt: at,
			Severity: ASFFSeverity{Label: asffSeverity(v.Severity)}, Title: truncate(clean(title), 256),
			Description: truncate(clean(v.Message), 1024),
			Resources:   []ASFFResource{{Type: asffType(v.AssetType), ID: v.AssetID, Partition: partitionOr(v.AssetID), Region: home}},
			Compliance:  ASFFCompliance{Status: "FAILED", RelatedRequirements: frameworks, SecurityControlID: v.PolicyID},
			Workflow:    ASFFWorkflow{Status: "NEW"}, RecordState: "ACTIVE"}
		if remedy != "" {
			f.Remediation = &ASFFRemediation{}
			f.Remediation.Recommendation.Text = truncate(clean(remedy), 512)
		}
		switch v.Status {
		case rules.StatusExempt:
			f.Workflow.Status = "SUPPRESSED"
		case rules.StatusClosed:
			f.Compliance.Status, f.Workflow.Status, f.RecordState = "PASSED", "RESOLVED", "ARCHIVED"
			if v.ClosedAt != nil {
				f.UpdatedAt = v.ClosedAt.UTC().Format(time.RFC3339)
			}
		}
		out = append(out, f)
	}
	return out
}

func asffSeverity(s string) string {
	switch s {
	case rules.SeverityCritical:
		return "CRITICAL"
	case rules.SeverityHigh:
		return "HIGH"
	case rules.SeverityMedium:
		return "MEDIUM"
	case rules.SeverityLow:
		return "LOW"
	}
	return "INFORMATIONAL"
}

func partitionOr(id string) string {
	if p := partition(id); p != "" {
		return p
	}
	return "aws"
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xc0 == 0x80 {
		n--
	}
	return s[:n]
}

// WriteASFF writes the findings as a JSON array (BatchImportFindings' input).
func WriteASFF(w io.Writer, d *Data, region string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(ASFFFindings(d, region)); err != nil {
		return fmt.Errorf("write the ASFF findings: %w", err)
	}
	return nil
}
