package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

const goodPolicy = `id: ec2-instance-imdsv2
name: Instance requires IMDSv2
resource: aws.ec2.instance
severity: high
category: security
check: resource.imds.http_tokens == "required"
message: instance {{ .name }} allows IMDSv1
tests:
  - name: optional fails
    resource: {imds: {http_tokens: optional}}
    compliant: false
`

func loadOne(t *testing.T, body string) error {
	t.Helper()
	ps, errs := LoadDir(fstest.MapFS{"p.yaml": {Data: []byte(body)}}, ".")
	if len(errs) == 0 {
		t.Fatalf("loaded %d policies, want an error", len(ps))
	}
	if len(errs) != 1 || len(ps) != 0 {
		t.Fatalf("got %d policies, errors %v; want one error", len(ps), errs)
	}
	return errs[0]
}

func TestLoadErrorsHaveFileAndLine(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"unknown field with suggestion",
			"id: a\nname: A\nresource: aws.s3.bucket\nsevrity: high\ncategory: security\ncheck: true\n",
			`policy p.yaml:4: unknown field "sevrity" (did you mean "severity"?)`},
		{"bad severity",
			"id: a\nresource: aws.s3.bucket\nseverity: hihg\ncategory: security\ncheck: true\n",
			`policy p.yaml:3: severity "hihg" must be one of critical, high, medium, low (did you mean "high"?)`},
		{"bad category",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: money\ncheck: true\n",
			`policy p.yaml:4: category "money" must be one of`},
		{"missing id",
			"resource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: true\n",
			`policy p.yaml:1: missing field "id"`},
		{"missing check",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\n",
			`missing field "check"`},
		{"id not kebab-case",
			"id: My_Policy\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: true\n",
			`policy p.yaml:1: id "My_Policy" must be kebab-case`},
		{"CEL error in block maps to file line and column",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: |\n  resource.versioning.status == \"Enabled\" &&\n    resourc.logging.enabled\n",
			`policy p.yaml:7:5: check: undeclared reference to 'resourc'`},
		{"CEL error on one line",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: resource.x == nope\n",
			`policy p.yaml:5:22: check: undeclared reference to 'nope'`},
		{"CEL type error",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: |\n  days_since(1) > 3\n",
			`policy p.yaml:6:`},
		{"check not bool",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: '\"yes\"'\n",
			`must be a bool expression`},
		{"unknown test field",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: 'true'\ntests:\n  - name: t\n    resorce: {}\n    compliant: true\n",
			`policy p.yaml:8: tests[0]: unknown field "resorce" (did you mean "resource"?)`},
		{"yaml syntax",
			"id: a\nresource: [aws.s3.bucket\nseverity: high\n",
			`policy p.yaml:`},
		{"two documents",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: 'true'\n---\nid: b\n",
			`policy p.yaml:6: one policy per file`},
		{"bad message template",
			"id: a\nresource: aws.s3.bucket\nseverity: high\ncategory: security\ncheck: 'true'\nmessage: '{{ .name '\n",
			`policy p.yaml:6: message:`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := loadOne(t, c.body)
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, c.want)
			}
		})
	}
}

func TestLoadFields(t *testing.T) {
	body := `id: tag-required
name: Required tags
resource: [aws.ec2.instance, aws.s3.bucket]
severity: low
category: tagging
enabled: false
frameworks: [cis-aws-3.0:1.1]
params: {tags: [Owner], max: 3}
group: prod
check: params.tags.all(t, t in resource.tags)
`
	ps, errs := LoadDir(fstest.MapFS{"pol/t.yaml": {Data: []byte(body)}}, "pol")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	p := ps[0]
	if strings.Join(p.Resources, ",") != "aws.ec2.instance,aws.s3.bucket" || !p.Disabled || p.Domain != "cloud" ||
		p.Group != "prod" || p.File != "pol/t.yaml" || p.Frameworks[0] != "cis-aws-3.0:1.1" {
		t.Errorf("policy = %+v", p)
	}
	if v, ok := p.Params["max"].(int64); !ok || v != 3 {
		t.Errorf("params.max = %#v, want int64 3", p.Params["max"])
	}
}

func TestBrokenFileDoesNotStopOthers(t *testing.T) {
	fsys := fstest.MapFS{
		"a.yaml":    {Data: []byte(goodPolicy)},
		"b.yaml":    {Data: []byte("id: b\nresource: x\nseverity: high\ncategory: security\ncheck: resource.\n")},
		"c.yml":     {Data: []byte(strings.Replace(goodPolicy, "ec2-instance-imdsv2", "other-policy", 1))},
		"dup.yaml":  {Data: []byte(goodPolicy)},
		"README.md": {Data: []byte("not a policy")},
	}
	ps, errs := LoadDir(fsys, ".")
	if len(ps) != 2 || ps[0].ID != "ec2-instance-imdsv2" || ps[1].ID != "other-policy" {
		t.Fatalf("policies = %v, want ec2-instance-imdsv2 and other-policy", ids(ps))
	}
	if len(errs) != 2 {
		t.Fatalf("errors = %v, want 2 (b.yaml and the duplicate)", errs)
	}
	joined := errs[0].Error() + "\n" + errs[1].Error()
	if !strings.Contains(joined, "policy b.yaml:5") || !strings.Contains(joined, `dup.yaml: id "ec2-instance-imdsv2" already defined in a.yaml`) {
		t.Errorf("errors = %s", joined)
	}
}

func TestUserPoliciesOverrideBuiltins(t *testing.T) {
	builtin, errs := LoadDir(BuiltinFS(), ".")
	if len(errs) > 0 || len(builtin) == 0 {
		t.Fatalf("built-in pack: %d policies, errors %v", len(builtin), errs)
	}
	target := builtin[0]
	dir := t.TempDir()
	override := strings.NewReplacer("ec2-instance-imdsv2", target.ID, "high", "low").Replace(goodPolicy)
	if err := os.WriteFile(filepath.Join(dir, "mine.yaml"), []byte(override), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "new.yaml"), []byte(strings.Replace(goodPolicy, "ec2-instance-imdsv2", "my-own", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	all, errs := LoadAll(dir)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(all) != len(builtin)+1 {
		t.Errorf("LoadAll gave %d policies, want %d", len(all), len(builtin)+1)
	}
	for _, p := range all {
		switch p.ID {
		case target.ID:
			if p.Builtin || p.Severity != "low" || p.File != filepath.Join(dir, "mine.yaml") {
				t.Errorf("override not applied: %+v", p)
			}
		case "my-own":
		default:
			if !p.Builtin {
				t.Errorf("%s: not marked built-in", p.ID)
			}
		}
	}
	_, errs = LoadAll(filepath.Join(dir, "missing"))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "missing") {
		t.Errorf("missing dir errors = %v", errs)
	}
}

func TestUserErrorsNameTheirDirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.yaml"), []byte("id: x\nsevrity: high\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs := LoadAll(dir)
	want := "policy " + filepath.Join(dir, "x.yaml") + ":2: unknown field"
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), want) {
		t.Errorf("errors = %v, want one containing %q", errs, want)
	}
}

func ids(ps []*Policy) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}
