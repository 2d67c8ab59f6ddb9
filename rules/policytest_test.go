package rules

import (
	"strings"
	"testing"
	"testing/fstest"
)

const testedPolicy = `id: ec2-instance-critical-vulnerabilities
name: Instance has critical vulnerabilities
resource: aws.ec2.instance
severity: critical
category: security
params: {min_cvss: 7}
check: '!related("vuln.finding").exists(f, f.cvss >= params.min_cvss)'
tests:
  - name: critical finding fails
    resource: {name: i-1}
    related:
      vuln.finding: [{cve: CVE-1, cvss: 9.8}]
    compliant: false
  - name: raised threshold passes
    resource: {name: i-1}
    params: {min_cvss: 10}
    related:
      vuln.finding: [{cve: CVE-1, cvss: 9.8}]
    compliant: true
  - name: wrong expectation
    resource: {name: i-1}
    compliant: false
  - name: account from related
    resource: {name: i-1}
    related:
      aws.account: [{root: {mfa_enabled: true}}]
    compliant: true
`

func TestRunTests(t *testing.T) {
	fsys := fstest.MapFS{"p.yaml": {Data: []byte(testedPolicy)}}
	ps, errs := LoadDir(fsys, ".")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rs := RunTests(ps)
	if len(rs) != 4 {
		t.Fatalf("results = %+v", rs)
	}
	for i, want := range []bool{true, true, false, true} {
		if rs[i].Passed != want {
			t.Errorf("%s: passed = %v, want %v (%v)", rs[i].Name, rs[i].Passed, want, rs[i].Err())
		}
	}
	if err := rs[2].Err(); err == nil || !strings.Contains(err.Error(), `test "wrong expectation": want compliant=false, got true`) {
		t.Errorf("failure message = %v", err)
	}
	verrs := Validate(fsys, ".")
	if len(verrs) != 1 || !strings.Contains(verrs[0].Error(), "wrong expectation") {
		t.Errorf("Validate = %v, want the failing test", verrs)
	}
}

func TestRunTestsReportsEvaluationErrors(t *testing.T) {
	p := pol("p", "aws.s3.bucket", `resource.versioning.status == "Enabled"`)
	p.Tests = []PolicyTest{{Name: "missing field", Resource: map[string]any{"name": "b"}, Compliant: false}}
	rs := RunTests([]*Policy{p})
	if len(rs) != 1 || rs[0].Passed || !strings.Contains(rs[0].Error, "no such key") {
		t.Errorf("results = %+v, want an evaluation error", rs)
	}
}

func TestBuiltinPackValidates(t *testing.T) {
	if errs := Validate(BuiltinFS(), "."); len(errs) > 0 {
		t.Errorf("built-in pack: %v", errs)
	}
}
