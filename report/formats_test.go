package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vigil-sec/vigil/rules"
)

// Every OCSF finding validates against the vendored OCSF 1.3.0 Compliance
// Finding schema, one per violation, with the fields the issue names.
func TestOCSFFindingsValidateAgainstTheSchema(t *testing.T) {
	t.Parallel()
	f, err := os.Open("testdata/ocsf/compliance_finding-1.3.0.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("ocsf.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("ocsf.json")
	if err != nil {
		t.Fatal(err)
	}
	d := fixture("prod", "<x>\u202e")
	var b bytes.Buffer
	if err := WriteOCSF(&b, d); err != nil {
		t.Fatal(err)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) != len(d.Report.Violations) {
		t.Fatalf("%d findings for %d violations", len(raw), len(d.Report.Violations))
	}
	for i, r := range raw {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(r))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("finding %d does not validate: %v\n%s", i, err, r)
		}
	}
	// A finding the schema must reject, so the validation above can fail.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"class_uid": 2003, "severity_id": 7}`))
	if sch.Validate(bad) == nil {
		t.Fatal("the schema accepts a finding without metadata, time or compliance")
	}

	fs := OCSFFindings(d)
	v := d.Report.Violations[0] // open critical s3-bucket-public-read
	got := fs[0]
	if got.ClassUID != 2003 || got.Metadata.Version != OCSFVersion || got.FindingInfo.UID != v.ID {
		t.Errorf("class %d, version %q, uid %q; want 2003, %s, %s", got.ClassUID, got.Metadata.Version, got.FindingInfo.UID, OCSFVersion, v.ID)
	}
	if got.SeverityID != 5 || got.Compliance.Status != "Fail" || got.Compliance.Control != "2.1.4" ||
		got.Compliance.Standards[0] != "CIS AWS Foundations Benchmark v3.0" {
		t.Errorf("severity %d, compliance %+v", got.SeverityID, got.Compliance)
	}
	res := got.Resources[0]
	if res.UID != v.AssetID || res.Type != v.AssetType || res.Region != "us-east-1" || res.Data["account_uid"] != "123456789012" || got.Cloud.Account.UID != "123456789012" {
		t.Errorf("resource %+v, cloud %+v", res, got.Cloud)
	}
	for i, x := range d.Report.Violations {
		want := map[string]string{rules.StatusOpen: "New", rules.StatusExempt: "Suppressed", rules.StatusClosed: "Resolved"}[x.Status]
		if fs[i].Status != want || (x.Status == rules.StatusClosed) != (fs[i].Compliance.Status == "Pass") {
			t.Errorf("%s violation: status %q compliance %q", x.Status, fs[i].Status, fs[i].Compliance.Status)
		}
	}
}

func TestASFFFindings(t *testing.T) {
	t.Parallel()
	d := fixture("prod", "")
	var b bytes.Buffer
	if err := WriteASFF(&b, d, "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	var fs []map[string]any
	if err := json.Unmarshal(b.Bytes(), &fs); err != nil {
		t.Fatal(err)
	}
	if len(fs) != len(d.Report.Violations) {
		t.Fatalf("%d findings for %d violations", len(fs), len(d.Report.Violations))
	}
	for i, f := range fs {
		for _, k := range []string{"SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt", "UpdatedAt", "Severity", "Title", "Description", "Resources"} {
			if f[k] == nil || f[k] == "" {
				t.Errorf("finding %d lacks required %s", i, k)
			}
		}
		v := d.Report.Violations[i]
		comp := f["Compliance"].(map[string]any)["Status"]
		wf := f["Workflow"].(map[string]any)["Status"]
		want := map[string][3]string{rules.StatusOpen: {"FAILED", "NEW", "ACTIVE"}, rules.StatusExempt: {"FAILED", "SUPPRESSED", "ACTIVE"},
			rules.StatusClosed: {"PASSED", "RESOLVED", "ARCHIVED"}}[v.Status]
		if comp != want[0] || wf != want[1] || f["RecordState"] != want[2] {
			t.Errorf("%s violation: Compliance %v Workflow %v RecordState %v, want %v", v.Status, comp, wf, f["RecordState"], want)
		}
		if f["SchemaVersion"] != "2018-10-08" || f["ProductArn"] != "arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default" {
			t.Errorf("SchemaVersion %v ProductArn %v", f["SchemaVersion"], f["ProductArn"])
		}
	}
	if fs[0]["Resources"].([]any)[0].(map[string]any)["Type"] != "AwsS3Bucket" || fs[0]["Severity"].(map[string]any)["Label"] != "CRITICAL" {
		t.Errorf("first finding: %v %v", fs[0]["Resources"], fs[0]["Severity"])
	}
}

func TestJUnitHasACasePerPolicyAndAsset(t *testing.T) {
	t.Parallel()
	d := fixture("prod", "")
	var b bytes.Buffer
	if err := WriteJUnit(&b, d); err != nil {
		t.Fatal(err)
	}
	var doc junitSuites
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not JUnit XML: %v\n%s", err, b.String())
	}
	// 3 buckets, 3 groups, 3 volumes; tag-owner covers buckets and groups.
	if doc.Tests != 3+3+3+6 || doc.Failures != 5 || doc.Skipped != 1 || len(doc.Suites) != 4 {
		t.Errorf("tests %d failures %d skipped %d suites %d; want 15, 5, 1, 4", doc.Tests, doc.Failures, doc.Skipped, len(doc.Suites))
	}
	for _, s := range doc.Suites {
		if s.Name == "ec2-sg-open-ssh" {
			fails := 0
			for _, c := range s.Cases {
				if c.Failure != nil {
					fails++
					if !strings.HasSuffix(c.Name, "sg-0") || c.Failure.Type != "high" {
						t.Errorf("failure on %s (%s); want sg-0, high", c.Name, c.Failure.Type)
					}
				}
			}
			if fails != 1 || len(s.Cases) != 3 {
				t.Errorf("ec2-sg-open-ssh: %d cases, %d failures; want 3, 1 (the closed one passes)", len(s.Cases), fails)
			}
		}
	}
}

func TestBreachesCountOpenAtOrAboveTheSeverity(t *testing.T) {
	t.Parallel()
	r := fixture("prod", "").Report
	for sev, want := range map[string]int{"critical": 1, "high": 2, "medium": 3, "low": 5} {
		if got := len(Breaches(r, sev)); got != want {
			t.Errorf("Breaches(%s) = %d, want %d (exempt and closed never count)", sev, got, want)
		}
	}
	if bs := Breaches(r, "low"); bs[0].Severity != "critical" {
		t.Errorf("worst first: got %s", bs[0].Severity)
	}
}

func TestMarkdownReportEscapesUntrustedStrings(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := WriteMarkdown(&b, fixture("prod", "<img src=x onerror=alert(1)>[x](http://evil)|")); err != nil {
		t.Fatal(err)
	}
	md := b.String()
	for _, bad := range []string{"<img", "](http", "onerror=alert(1)>"} {
		if strings.Contains(md, bad) {
			t.Errorf("Markdown report passes %q through", bad)
		}
	}
	for _, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(line, "| open ") {
			if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); n != 6 {
				t.Errorf("a violation row has %d cell borders, want 6: %s", n, line)
			}
		}
	}
}
