package main

import (
	"path/filepath"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// `vigil push securityhub` sends the open violations of a real scan to
// moto's Security Hub as ASFF; after the world-open SSH rule is removed by
// hand and the next scan closes its violation, a second push archives that
// finding and leaves the others active.
func TestPushSecurityHubAfterScanAndFix(t *testing.T) {
	t.Parallel()
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	db := filepath.Join(t.TempDir(), "db")
	var g struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "bastion", "--description", "x"), &g)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "3389", "--cidr", "0.0.0.0/0")
	scan := func() {
		t.Helper()
		if r := vigil(t, env, "scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", db); r.code != 0 {
			t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
		}
	}
	scan()
	arn := "arn:aws:ec2:us-east-1:123456789012:security-group/" + g.GroupId
	open := map[string]string{} // policy → violation ID
	for _, v := range readReport(t, env, db).Violations {
		if v.AssetID == arn && v.Status == "open" {
			open[v.PolicyID] = v.ID
		}
	}
	ssh := open["ec2-sg-open-ssh"]
	if ssh == "" || len(open) < 2 {
		t.Fatalf("want ec2-sg-open-ssh and another open violation on %s, got %v", arn, open)
	}

	var res struct {
		Imported, Archived int
		Failures           []struct{ FindingID string }
	}
	r := vigil(t, env, "push", "securityhub", "--json", "--db", db)
	if r.code != 0 {
		t.Fatalf("push: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	mustJSON(t, r.stdout, &res)
	all := readReport(t, env, db).Violations
	if res.Imported != len(all) || res.Archived != 0 || len(res.Failures) != 0 {
		t.Errorf("first push %+v: want %d imported (every open violation), none archived or failed", res, len(all))
	}
	type shFinding struct {
		Id, RecordState string
		Compliance      struct{ Status string }
		Resources       []struct{ Id, Type string }
	}
	findings := func() map[string]shFinding {
		var out struct{ Findings []shFinding }
		mustJSON(t, srv.AWS(t, "securityhub", "get-findings", "--region", "us-east-1"), &out)
		m := map[string]shFinding{}
		for _, f := range out.Findings {
			m[f.Id] = f
		}
		return m
	}
	f, ok := findings()["vigil/"+ssh]
	if !ok || f.RecordState != "ACTIVE" || f.Compliance.Status != "FAILED" || len(f.Resources) != 1 ||
		f.Resources[0].Id != arn || f.Resources[0].Type != "AwsEc2SecurityGroup" {
		t.Fatalf("the SSH finding in Security Hub: %+v (found %v)", f, ok)
	}

	srv.AWS(t, "ec2", "revoke-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	scan()
	r = vigil(t, env, "push", "securityhub", "--json", "--db", db)
	if r.code != 0 {
		t.Fatalf("second push: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	mustJSON(t, r.stdout, &res)
	if res.Archived != 1 {
		t.Errorf("second push archived %d, want 1 (the closed SSH violation)", res.Archived)
	}
	got := findings()
	if got["vigil/"+ssh].RecordState != "ARCHIVED" || got["vigil/"+ssh].Compliance.Status != "PASSED" {
		t.Errorf("the closed SSH finding: %+v, want ARCHIVED and PASSED", got["vigil/"+ssh])
	}
	for pol, id := range open {
		if pol != "ec2-sg-open-ssh" && got["vigil/"+id].RecordState != "ACTIVE" {
			t.Errorf("%s's finding is %q after the second push, want it still ACTIVE", pol, got["vigil/"+id].RecordState)
		}
	}
}
