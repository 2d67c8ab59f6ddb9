package report

import (
	"fmt"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/rules"
)

// fixture builds a report of group g whose untrusted strings (asset IDs and
// names, messages, policy names, the scan ID) all carry s, with violations
// of every severity and status, and 30 days of trend.
func fixture(g, s string) *Data {
	at := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	closed := at.Add(-time.Hour)
	pols := []*rules.Policy{
		{ID: "s3-bucket-public-read", Name: "S3 bucket grants public read " + s, Severity: rules.SeverityCritical, Category: rules.CategorySecurity,
			Resources: []string{asset.TypeS3Bucket}, Frameworks: []string{"cis-aws-3.0:2.1.4"}, Remediation: "Turn on S3 Block Public Access."},
		{ID: "ec2-sg-open-ssh", Name: "Security group open to SSH", Severity: rules.SeverityHigh, Category: rules.CategorySecurity,
			Resources: []string{asset.TypeSecurityGroup}, Frameworks: []string{"cis-aws-3.0:5.2"}},
		{ID: "ebs-volume-encrypted", Name: "EBS volume encrypted", Severity: rules.SeverityMedium, Category: rules.CategoryGovernance,
			Resources: []string{asset.TypeVolume}},
		{ID: "tag-owner", Name: "Owner tag", Severity: rules.SeverityLow, Category: rules.CategoryTagging,
			Resources: []string{asset.TypeS3Bucket, asset.TypeSecurityGroup}},
	}
	r := &cycle.Report{GeneratedAt: at, Group: g, Scan: cycle.ReportScan{ID: "scan-" + s, Status: "complete"},
		Compliance: map[string]int{"overall": 71, "security": 62, "governance": 90, "tagging": 45}}
	var mem []asset.Summary
	add := func(typ, id, name string) {
		mem = append(mem, asset.Summary{ID: id, Type: typ, Name: name, Account: "123456789012", Region: "us-east-1"})
	}
	for i := range 3 {
		add(asset.TypeS3Bucket, fmt.Sprintf("arn:aws:s3:::bkt-%d%s", i, s), fmt.Sprintf("bkt-%d%s", i, s))
		add(asset.TypeSecurityGroup, fmt.Sprintf("arn:aws:ec2:us-east-1:123456789012:security-group/sg-%d", i), "sg "+s)
		add(asset.TypeVolume, fmt.Sprintf("arn:aws:ec2:us-east-1:123456789012:volume/vol-%d", i), "")
	}
	viol := func(p *rules.Policy, a asset.Summary, status string) {
		v := cycle.ReportViolation{ID: fmt.Sprintf("v-%s-%d", p.ID, len(r.Violations)), PolicyID: p.ID, AssetID: a.ID, AssetType: a.Type,
			Account: a.Account, Region: a.Region, Severity: p.Severity, Status: status, Message: a.Name + " fails " + p.ID + " " + s,
			OpenedAt: at.Add(-48 * time.Hour)}
		if status == rules.StatusClosed {
			v.ClosedAt = &closed
		}
		r.Violations = append(r.Violations, v)
	}
	viol(pols[0], mem[0], rules.StatusOpen)
	viol(pols[0], mem[3], rules.StatusExempt)
	viol(pols[1], mem[1], rules.StatusOpen)
	viol(pols[1], mem[4], rules.StatusClosed)
	viol(pols[2], mem[2], rules.StatusOpen)
	viol(pols[3], mem[0], rules.StatusOpen)
	viol(pols[3], mem[4], rules.StatusOpen)
	for _, p := range pols {
		ev := 3
		if len(p.Resources) == 2 {
			ev = 6
		}
		rp := cycle.ReportPolicy{ID: p.ID, Name: p.Name, Severity: p.Severity, Category: p.Category, Evaluated: ev}
		for _, v := range r.Violations {
			if v.PolicyID == p.ID && v.Status == rules.StatusOpen {
				rp.Open++
			} else if v.PolicyID == p.ID && v.Status == rules.StatusExempt {
				rp.Exempt++
			}
		}
		rp.Compliance = rules.PolicyCompliance(rp.Evaluated, rp.Open)
		r.Policies = append(r.Policies, rp)
	}
	var trend []rules.TrendPoint
	for i := range 30 {
		trend = append(trend, rules.TrendPoint{Group: g, Day: at.AddDate(0, 0, i-29).Format(time.DateOnly), Overall: 55 + (i*7)%30})
	}
	return &Data{Report: r, Policies: PolicyIndex(pols), Members: mem, Trend: trend}
}
