package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// The remediation path of the binary: `vigil fix ID` plans and changes
// nothing; `--apply` without `--yes` off a terminal changes nothing;
// `--apply --yes` removes the world-open SSH rule in AWS and the report shows
// the violation closed; `vigil fixes` lists the audit; `vigil fix undo`
// restores the rule.
func TestFixPlanApplyAndUndo(t *testing.T) {
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	db := filepath.Join(t.TempDir(), "db")
	var g struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "bastion", "--description", "x"), &g)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "443", "--cidr", "0.0.0.0/0")
	if r := vigil(t, env, "scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", db); r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	arn := "arn:aws:ec2:us-east-1:123456789012:security-group/" + g.GroupId
	vid := ""
	for _, v := range readReport(t, env, db).Violations {
		if v.PolicyID == "ec2-sg-open-ssh" && v.AssetID == arn {
			vid = v.ID
		}
	}
	if vid == "" {
		t.Fatal("no ec2-sg-open-ssh violation to fix")
	}
	sshOpen := func() bool {
		out := srv.AWS(t, "ec2", "describe-security-groups", "--region", "us-east-1", "--group-ids", g.GroupId)
		return strings.Contains(out, `"FromPort": 22`) && strings.Contains(out, "0.0.0.0/0")
	}

	r := vigil(t, env, "fix", vid, "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "ec2-revoke-public-ingress") || !strings.Contains(r.stdout, "RevokeSecurityGroupIngress") {
		t.Fatalf("plan: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !sshOpen() {
		t.Fatal("planning changed AWS")
	}
	r = vigil(t, env, "fix", vid, "--apply", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("--apply without --yes off a terminal: exit %d, stderr %q; want a refusal naming --yes", r.code, r.stderr)
	}
	if !sshOpen() {
		t.Fatal("--apply without --yes changed AWS")
	}
	r = vigil(t, env, "fix", vid, "--apply", "--yes", "--db", db)
	if r.code != 0 {
		t.Fatalf("--apply --yes: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if sshOpen() {
		t.Error("the world-open SSH rule is still in AWS after --apply --yes")
	}
	out := srv.AWS(t, "ec2", "describe-security-groups", "--region", "us-east-1", "--group-ids", g.GroupId)
	if !strings.Contains(out, `"FromPort": 443`) {
		t.Error("the fix removed the HTTPS rule too; only the offending rules may go")
	}
	if st := readReport(t, env, db).status("ec2-sg-open-ssh", arn); st != "closed" {
		t.Errorf("report after the fix: %q, want closed", st)
	}
	var recs []struct{ ID, Status, By, Action string }
	mustJSON(t, vigil(t, env, "fixes", "--json", "--db", db).stdout, &recs)
	applied := ""
	for _, rec := range recs {
		if rec.Status == "applied" && rec.Action == "ec2-revoke-public-ingress" {
			applied = rec.ID
		}
	}
	if applied == "" || len(recs) < 2 {
		t.Fatalf("audit lacks the refused and applied records: %+v", recs)
	}
	// Undo asks like apply does: off a terminal without --yes it changes
	// nothing and the attempt is audited.
	if r := vigil(t, env, "fix", "undo", applied, "--db", db); r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("undo without --yes off a terminal: exit %d, stderr %q; want exit 2 naming --yes", r.code, r.stderr)
	}
	if sshOpen() {
		t.Fatal("undo without --yes re-opened SSH")
	}
	if r := vigil(t, env, "fix", "undo", applied, "--yes", "--db", db); r.code != 0 {
		t.Fatalf("undo --yes: exit %d: %s", r.code, r.stderr)
	}
	if !sshOpen() {
		t.Error("undo did not restore the SSH rule")
	}
	// An admin closes it by hand; a second undo must not open it again.
	srv.AWS(t, "ec2", "revoke-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	if r := vigil(t, env, "fix", "undo", applied, "--yes", "--db", db); r.code == 0 || !strings.Contains(r.stderr, "already undone") {
		t.Errorf("second undo: exit %d, stderr %q; want a refusal (already undone)", r.code, r.stderr)
	}
	if sshOpen() {
		t.Error("a second undo re-opened SSH after it was closed by hand")
	}
	recs = nil
	mustJSON(t, vigil(t, env, "fixes", "--json", "--db", db).stdout, &recs)
	st := map[string]int{}
	for _, rec := range recs {
		st[rec.Status]++
	}
	// refused: the --apply without --yes and the undo without --yes;
	// undone: the applied record and the undo record itself.
	if st["refused"] < 2 || st["undone"] != 2 || st["applied"] != 0 {
		t.Errorf("audit after undo: %v; want >=2 refused, 2 undone, 0 still applied", st)
	}
}

// A zero or negative bulk cap is a usage error, not a panic.
func TestFixMaxMustBePositive(t *testing.T) {
	t.Parallel()
	db := filepath.Join(t.TempDir(), "db")
	for _, n := range []string{"-1", "0"} {
		r := vigil(t, nil, "fix", "--policy", "ec2-sg-open-rdp", "--all", "--apply", "--yes", "--max", n, "--db", db)
		if r.code != 2 || !strings.Contains(r.stderr, "--max") || strings.Contains(r.stderr, "goroutine") {
			t.Errorf("--max %s: exit %d, stderr %q; want exit 2 naming --max", n, r.code, r.stderr)
		}
	}
}

// Bulk fixes stop at --max, and without --yes off a terminal change nothing.
func TestBulkFixRespectsMax(t *testing.T) {
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	db := filepath.Join(t.TempDir(), "db")
	var ids []string
	for _, name := range []string{"a", "b", "c"} {
		var g struct{ GroupId string }
		mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "rdp-"+name, "--description", "x"), &g)
		srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "3389", "--cidr", "0.0.0.0/0")
		ids = append(ids, g.GroupId)
	}
	if r := vigil(t, env, "scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", db); r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	openRDP := func() int {
		n := 0
		for _, id := range ids {
			if strings.Contains(srv.AWS(t, "ec2", "describe-security-groups", "--region", "us-east-1", "--group-ids", id), `"FromPort": 3389`) {
				n++
			}
		}
		return n
	}
	if r := vigil(t, env, "fix", "--policy", "ec2-sg-open-rdp", "--all", "--apply", "--db", db); r.code == 0 || openRDP() != 3 {
		t.Fatalf("bulk --apply without --yes: exit %d, %d groups still open; want a refusal and 3", r.code, openRDP())
	}
	r := vigil(t, env, "fix", "--policy", "ec2-sg-open-rdp", "--all", "--apply", "--yes", "--max", "2", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "2 applied") {
		t.Fatalf("bulk fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if n := openRDP(); n != 1 {
		t.Errorf("%d groups still open after --max 2 of 3, want 1", n)
	}
	open := 0
	for _, v := range readReport(t, env, db).Violations {
		if v.PolicyID == "ec2-sg-open-rdp" && v.Status == "open" {
			open++
		}
	}
	if open != 1 {
		t.Errorf("report shows %d open RDP violations, want 1", open)
	}
}
