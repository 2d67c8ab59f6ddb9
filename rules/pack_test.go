package rules_test

import (
	"os"
	"path"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

// requiredPolicies are the built-in policy IDs the product promises, with the
// category and fix action each must carry ("" = no fix).
var requiredPolicies = map[string]struct{ category, fix string }{
	"s3-bucket-public-access-block":         {"security", "s3-block-public-access"},
	"s3-bucket-public-read":                 {"security", "s3-block-public-access"},
	"s3-bucket-public-write":                {"security", "s3-block-public-access"},
	"s3-bucket-encryption":                  {"security", "s3-enable-encryption"},
	"s3-bucket-versioning":                  {"security", "s3-enable-versioning"},
	"s3-bucket-logging":                     {"security", ""},
	"s3-bucket-ssl-only":                    {"security", ""},
	"s3-account-public-access-block":        {"security", "s3-account-block-public-access"},
	"ec2-sg-open-ssh":                       {"security", "ec2-revoke-public-ingress"},
	"ec2-sg-open-rdp":                       {"security", "ec2-revoke-public-ingress"},
	"ec2-sg-open-db-ports":                  {"security", "ec2-revoke-public-ingress"},
	"ec2-sg-open-all-ports":                 {"security", "ec2-revoke-public-ingress"},
	"ec2-default-sg-restricts-all":          {"security", ""},
	"ec2-instance-imdsv2":                   {"security", "ec2-require-imdsv2"},
	"ec2-instance-public-ip":                {"security", ""},
	"ec2-volume-encrypted":                  {"security", ""},
	"ec2-ebs-default-encryption":            {"security", "ec2-enable-ebs-default-encryption"},
	"ec2-snapshot-public":                   {"security", "ec2-snapshot-private"},
	"ec2-volume-unattached":                 {"cost", "ec2-delete-unattached-volume"},
	"ec2-eip-unattached":                    {"cost", "ec2-release-eip"},
	"ec2-vpc-flow-logs":                     {"security", ""},
	"ec2-instance-critical-vulnerabilities": {"security", ""},
	"iam-root-mfa":                          {"security", ""},
	"iam-root-access-keys":                  {"security", ""},
	"iam-password-policy":                   {"security", "iam-set-password-policy"},
	"iam-user-mfa":                          {"security", ""},
	"iam-access-key-rotation":               {"security", "iam-deactivate-access-key"},
	"iam-credentials-unused":                {"security", "iam-deactivate-access-key"},
	"iam-user-single-active-key":            {"security", "iam-deactivate-access-key"},
	"iam-user-direct-policies":              {"security", ""},
	"iam-policy-full-admin":                 {"security", ""},
	"rds-public":                            {"security", "rds-disable-public-access"},
	"rds-encrypted":                         {"security", ""},
	"rds-auto-minor-upgrade":                {"security", ""},
	"rds-backup-retention":                  {"governance", ""},
	"rds-snapshot-public":                   {"security", ""},
	"cloudtrail-multi-region":               {"security", ""},
	"cloudtrail-log-validation":             {"security", "cloudtrail-enable-log-validation"},
	"cloudtrail-kms-encryption":             {"security", ""},
	"kms-key-rotation":                      {"security", "kms-enable-rotation"},
	"lambda-public-access":                  {"security", ""},
	"lambda-deprecated-runtime":             {"security", ""},
	"elbv2-https-only":                      {"security", ""},
	"tag-required":                          {"tagging", ""},
	"region-approved":                       {"governance", ""},
	// issue 13 batch A
	"sqs-public":                {"security", "sqs-remove-public-policy-statement"},
	"sqs-encrypted":             {"security", ""},
	"sns-public":                {"security", ""},
	"sns-encrypted":             {"security", ""},
	"dynamodb-pitr":             {"security", "dynamodb-enable-pitr"},
	"ecr-scan-on-push":          {"security", "ecr-enable-scan-on-push"},
	"ecr-public-repo":           {"security", ""},
	"ecr-tag-immutable":         {"security", ""},
	"secretsmanager-rotation":   {"security", ""},
	"eks-public-endpoint":       {"security", ""},
	"eks-control-plane-logging": {"security", ""},
	"eks-secrets-encryption":    {"security", ""},
	"ecs-task-privileged":       {"security", ""},
	"ecs-task-env-secret-names": {"security", ""},
	"ec2-ami-public":            {"security", ""},
	"iam-server-cert-expired":   {"security", ""},
}

// knownFixes are the fix action IDs the fix package implements.
var knownFixes = map[string]bool{
	"s3-block-public-access": true, "s3-remove-public-acl": true, "s3-enable-encryption": true,
	"s3-enable-versioning": true, "s3-account-block-public-access": true,
	"ec2-revoke-public-ingress": true, "ec2-require-imdsv2": true, "ec2-snapshot-private": true,
	"ec2-enable-ebs-default-encryption": true, "ec2-release-eip": true,
	"ec2-delete-unattached-volume": true, "iam-deactivate-access-key": true,
	"iam-set-password-policy": true, "kms-enable-rotation": true,
	"rds-disable-public-access": true, "cloudtrail-enable-log-validation": true,
	"sqs-remove-public-policy-statement": true, "ecr-enable-scan-on-push": true, "dynamodb-enable-pitr": true,
}

var cisRef = regexp.MustCompile(`^cis-aws-3\.0:[1-5](\.[0-9]+){1,2}$`)

func loadPack(t testing.TB) []*rules.Policy {
	t.Helper()
	ps, errs := rules.LoadDir(rules.BuiltinFS(), ".")
	for _, err := range errs {
		t.Errorf("built-in pack: %v", err)
	}
	if len(ps) == 0 {
		t.Fatal("built-in pack is empty")
	}
	return ps
}

func TestPackLoadsWithoutErrors(t *testing.T) {
	for _, p := range loadPack(t) {
		if got := path.Base(p.File); got != p.ID+".yaml" {
			t.Errorf("policy %s lives in %s, want %s.yaml", p.ID, got, p.ID)
		}
	}
}

func TestPackHasEveryRequiredPolicy(t *testing.T) {
	byID := map[string]*rules.Policy{}
	for _, p := range loadPack(t) {
		byID[p.ID] = p
	}
	for id, want := range requiredPolicies {
		p, ok := byID[id]
		if !ok {
			t.Errorf("required policy %s is missing", id)
			continue
		}
		if p.Category != want.category {
			t.Errorf("%s: category %q, want %q", id, p.Category, want.category)
		}
		if p.Fix != want.fix {
			t.Errorf("%s: fix %q, want %q", id, p.Fix, want.fix)
		}
	}
}

func TestPackInlineTestsPass(t *testing.T) {
	results := rules.RunTests(loadPack(t))
	if len(results) < 2*len(requiredPolicies) {
		t.Fatalf("only %d inline test results for the pack", len(results))
	}
	for _, r := range results {
		if err := r.Err(); err != nil {
			t.Error(err)
		}
	}
}

func TestPackTestsCoverBothOutcomes(t *testing.T) {
	for _, p := range loadPack(t) {
		pass, fail := 0, 0
		for _, tc := range p.Tests {
			if tc.Compliant {
				pass++
			} else {
				fail++
			}
		}
		if pass == 0 || fail == 0 {
			t.Errorf("%s: %d compliant and %d non-compliant tests; want at least one of each", p.ID, pass, fail)
		}
	}
}

func TestPackMetadataIsComplete(t *testing.T) {
	types := map[string]bool{}
	for _, typ := range asset.AWSTypes {
		types[typ] = true
	}
	for _, p := range loadPack(t) {
		if p.Name == p.ID || p.Description == "" || p.Message == "" || p.Remediation == "" {
			t.Errorf("%s: name, description, message and remediation must all be written", p.ID)
		}
		if p.Autofix {
			t.Errorf("%s: built-in policies ship with autofix off", p.ID)
		}
		if p.Fix != "" && !knownFixes[p.Fix] {
			t.Errorf("%s: fix %q is not a known fix action", p.ID, p.Fix)
		}
		for _, f := range p.Frameworks {
			if !cisRef.MatchString(f) {
				t.Errorf("%s: framework %q is not a CIS AWS 3.0 control reference", p.ID, f)
			}
		}
		for _, typ := range p.Resources {
			if !types[typ] {
				t.Errorf("%s: resource type %q is not an AWS asset type", p.ID, typ)
			}
		}
	}
}

// testDoc is the document a test's resource becomes: what the policy sees.
func testAsset(p *rules.Policy, doc map[string]any) *asset.Asset {
	a := &asset.Asset{ID: "test:" + p.ID, Type: p.Resources[0], Account: "123456789012", Attrs: map[string]any{}, Tags: map[string]string{}}
	for k, v := range doc {
		switch k {
		case "type":
			a.Type, _ = v.(string)
		case "name":
			a.Name, _ = v.(string)
		case "region":
			a.Region, _ = v.(string)
		case "tags":
			m, _ := v.(map[string]any)
			for tk, tv := range m {
				a.Tags[tk] = asset.String(tv)
			}
		default:
			a.Attrs[k] = v
		}
	}
	return a
}

// testResolver serves a test case's related documents to the engine.
type testResolver map[string][]map[string]any

func (r testResolver) Related(_ *asset.Asset, typ string) []map[string]any { return r[typ] }

func (r testResolver) Account(string) map[string]any {
	if docs := r[asset.TypeAccount]; len(docs) > 0 {
		return docs[0]
	}
	return nil
}

// TestPackMessagesNameTheResource evaluates every failing test case through
// the engine and checks the violation message renders from fields the
// document has (no missing keys) and names the resource.
func TestPackMessagesNameTheResource(t *testing.T) {
	clock := func() time.Time { return time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC) }
	for _, p := range loadPack(t) {
		strict, err := template.New(p.ID).Option("missingkey=error").Parse(p.Message)
		if err != nil {
			t.Fatalf("%s: message: %v", p.ID, err)
		}
		for _, tc := range p.Tests {
			cfg := rules.Config{Now: clock, Params: map[string]map[string]any{p.ID: tc.Params}}
			eng, errs := rules.NewEngine([]*rules.Policy{p}, cfg)
			if len(errs) > 0 {
				t.Fatalf("%s: %v", p.ID, errs)
			}
			a := testAsset(p, tc.Resource)
			res := eng.Evaluate(a, testResolver(tc.Related))
			if len(res) != 1 || res[0].Err != nil {
				t.Errorf("%s / %s: engine gave %+v", p.ID, tc.Name, res)
				continue
			}
			if res[0].Pass != tc.Compliant {
				t.Errorf("%s / %s: engine says compliant=%t, test wants %t", p.ID, tc.Name, res[0].Pass, tc.Compliant)
			}
			if tc.Compliant {
				continue
			}
			var b strings.Builder
			if err := strict.Execute(&b, a.Doc()); err != nil {
				t.Errorf("%s / %s: message uses a field the document lacks: %v", p.ID, tc.Name, err)
			}
			if msg := res[0].Message; msg != b.String() || !namesResource(msg, a) {
				t.Errorf("%s / %s: message %q does not name the resource", p.ID, tc.Name, msg)
			}
		}
	}
}

// namesResource reports whether msg quotes the asset's name or one of its
// identifying attributes (IDs, names, addresses).
func namesResource(msg string, a *asset.Asset) bool {
	if a.Name != "" && strings.Contains(msg, a.Name) {
		return true
	}
	for k, v := range a.Attrs {
		s, ok := v.(string)
		if ok && s != "" && (strings.HasSuffix(k, "_name") || strings.HasSuffix(k, "_id") ||
			strings.HasSuffix(k, "_identifier") || k == "public_ip") && strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// identityFields are in every document, whatever its type.
var identityFields = map[string]bool{"id": true, "type": true, "name": true, "account": true, "region": true, "tags": true}

// attributeContract reads docs/ATTRIBUTES.md: the top-level fields of each
// asset type's section, and every field name mentioned anywhere (nested
// documents such as ACL grants and policy statements).
func attributeContract(t *testing.T) (byType map[string]map[string]bool, all map[string]bool) {
	t.Helper()
	data, err := os.ReadFile("../docs/ATTRIBUTES.md")
	if err != nil {
		t.Fatalf("read the attribute contract: %v", err)
	}
	field := regexp.MustCompile("[`\"]([a-z_][a-z0-9_]*)[`\"]")
	byType, all = map[string]map[string]bool{}, map[string]bool{}
	var cur map[string]bool
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "## "); ok {
			cur = map[string]bool{}
			byType[strings.Fields(rest)[0]] = cur
		}
		for _, m := range field.FindAllStringSubmatch(line, -1) {
			all[m[1]] = true
			if cur != nil {
				cur[m[1]] = true
			}
		}
	}
	return byType, all
}

// TestPackReadsOnlyContractFields checks that every field a check or message
// reads is one docs/ATTRIBUTES.md promises for the policy's resource types,
// and every params key it reads has a default: a typo would otherwise make a
// check error out (or a message go blank) on every real resource.
func TestPackReadsOnlyContractFields(t *testing.T) {
	byType, all := attributeContract(t)
	literal := regexp.MustCompile(`"[^"]*"|'[^']*'`)
	selector := regexp.MustCompile(`([A-Za-z0-9_)\]]*)\.([A-Za-z_][A-Za-z0-9_]*)(\(?)`)
	action := regexp.MustCompile(`{{[^}]*}}`)
	topLevel := func(p *rules.Policy, f string) {
		for _, typ := range p.Resources {
			if !identityFields[f] && !byType[typ][f] {
				t.Errorf("%s: reads resource.%s, which docs/ATTRIBUTES.md does not list for %s", p.ID, f, typ)
			}
		}
	}
	for _, p := range loadPack(t) {
		for _, m := range selector.FindAllStringSubmatch(literal.ReplaceAllString(p.Check, `""`), -1) {
			prefix, f, call := m[1], m[2], m[3]
			switch {
			case call != "":
				// a method such as lowerAscii()
			case prefix == "params":
				if _, ok := p.Params[f]; !ok {
					t.Errorf("%s: reads params.%s, which has no default in params", p.ID, f)
				}
			case prefix == "resource":
				topLevel(p, f)
			case !all[f]:
				t.Errorf("%s: reads .%s, which docs/ATTRIBUTES.md never mentions", p.ID, f)
			}
		}
		for _, act := range action.FindAllString(p.Message, -1) {
			for _, m := range selector.FindAllStringSubmatch(act, -1) {
				if m[1] == "" { // .field at the top of the template's document
					topLevel(p, m[2])
				}
			}
		}
	}
}

// TestPolicyDocsListEveryPolicy keeps docs/POLICIES.md in step with the pack:
// one table row per policy with its severity, category, CIS controls and fix.
func TestPolicyDocsListEveryPolicy(t *testing.T) {
	data, err := os.ReadFile("../docs/POLICIES.md")
	if err != nil {
		t.Fatalf("read the policy docs: %v", err)
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 9 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		for i := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(cells[i]), "`")
		}
		if _, dup := rows[cells[1]]; !dup { // the first table is the catalogue
			rows[cells[1]] = cells[1:]
		}
	}
	for _, p := range loadPack(t) {
		row, ok := rows[p.ID]
		if !ok {
			t.Errorf("docs/POLICIES.md has no row for %s", p.ID)
			continue
		}
		var cis []string
		for _, f := range p.Frameworks {
			cis = append(cis, strings.TrimPrefix(f, "cis-aws-3.0:"))
		}
		want := []string{p.Severity, p.Category, strings.Join(cis, ", "), p.Fix}
		got := []string{row[3], row[4], strings.Trim(row[5], "—"), strings.Trim(row[6], "—")}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("docs/POLICIES.md row for %s says %q, the policy file %q", p.ID, got, want)
		}
	}
}
