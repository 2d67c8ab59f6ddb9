package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// vigil import's merge rules on the real binary against moto: a snapshot
// fills an empty store; importing it twice changes nothing more; a store
// that scanned the unit later keeps its newer state; a truncated file and
// an S3 prefix holding a non-snapshot are refused with the name of the
// file or object, and nothing is written.
func TestImportMergeRulesAndRefusals(t *testing.T) {
	t.Parallel()
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	dir := t.TempDir()
	var g struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "bastion", "--description", "x"), &g)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	arn := "arn:aws:ec2:us-east-1:123456789012:security-group/" + g.GroupId
	scan := []string{"scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group"}
	scanner, central := filepath.Join(dir, "scanner"), filepath.Join(dir, "central")
	if r := vigil(t, env, append(scan, "--db", scanner)...); r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	snap := filepath.Join(dir, "monday.vgl")
	if r := vigil(t, env, "export", snap, "--db", scanner); r.code != 0 {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	views := func() string {
		a := vigil(t, env, "assets", "--json", "--db", central)
		v := vigil(t, env, "violations", "--json", "--status", "open,exempt,closed", "--db", central)
		return a.stdout + "\n" + v.stdout
	}

	if r := vigil(t, env, "import", snap, "--db", central); r.code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if st := readReport(t, env, central).status("ec2-sg-open-ssh", arn); st != "open" {
		t.Fatalf("after the import the SSH violation is %q, want open (the central store's policies judged it)", st)
	}
	once := views()
	if r := vigil(t, env, "import", snap, "--db", central); r.code != 0 {
		t.Fatalf("second import: exit %d: %s", r.code, r.stderr)
	}
	if twice := views(); twice != once {
		t.Errorf("importing the same file twice differs from once:\n%s\n---\n%s", once, twice)
	}

	// The central store scans the unit itself after the rule is gone: its
	// scan is newer than Monday's snapshot, which must not bring it back.
	srv.AWS(t, "ec2", "revoke-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	if r := vigil(t, env, append(scan, "--db", central)...); r.code != 0 {
		t.Fatalf("central scan: exit %d: %s", r.code, r.stderr)
	}
	r := vigil(t, env, "import", snap, "--db", central)
	if r.code != 0 || !strings.Contains(r.stdout, "1 kept") {
		t.Errorf("import of the older snapshot: exit %d, want the unit kept as newer\n%s%s", r.code, r.stdout, r.stderr)
	}
	if st := readReport(t, env, central).status("ec2-sg-open-ssh", arn); st != "" && st != "closed" {
		t.Errorf("the older snapshot re-opened the SSH violation: %q", st)
	}

	before := views()
	raw, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.vgl")
	if err := os.WriteFile(cut, raw[:len(raw)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	if r := vigil(t, env, "import", snap, cut, "--db", central); r.code == 0 || !strings.Contains(r.stderr, "cut.vgl") {
		t.Errorf("truncated file among good ones: exit %d, stderr %q; want a refusal naming cut.vgl", r.code, r.stderr)
	}
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "snaps")
	srv.AWS(t, "s3", "cp", snap, "s3://snaps/week/monday.vgl")
	notes := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notes, []byte("not a snapshot\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv.AWS(t, "s3", "cp", notes, "s3://snaps/week/notes.txt")
	if r := vigil(t, env, "import", "s3://snaps/week/", "--db", central); r.code == 0 || !strings.Contains(r.stderr, "s3://snaps/week/notes.txt") {
		t.Errorf("S3 prefix with a non-snapshot: exit %d, stderr %q; want a refusal naming the object", r.code, r.stderr)
	}
	if after := views(); after != before {
		t.Errorf("a refused import changed the store:\n%s\n---\n%s", before, after)
	}
}
