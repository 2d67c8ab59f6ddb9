package main

import (
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// diffJSON is `vigil diff --json` as a script reads it.
type diffJSON struct {
	From   struct{ Scan string }
	To     struct{ Scan string }
	Assets struct {
		Added, Removed []struct{ ID string }
		Changed        []struct {
			ID      string
			Changes []struct {
				Path          string
				Before, After any
			}
		}
	}
	Violations map[string][]struct {
		ID       string `json:"id"`
		PolicyID string `json:"policy_id"`
		AssetID  string `json:"asset_id"`
	}
	Compliance map[string]struct{ Before, After, Change *int }
}

// The on-call path: scan, change AWS, scan again; `vigil diff` names the
// added and removed buckets, the security group's changed ingress and the
// violation it closed; `vigil asset --at` prints the group as the first
// scan saw it; two exported files diff the same; the console's Changes
// page shows the changed attribute path.
func TestDiffAfterTwoScansAgainstMoto(t *testing.T) {
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "db")

	var sg struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "eu-west-1", "--group-name", "ssh-world", "--description", "x"), &sg)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "eu-west-1", "--group-id", sg.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "gone-soon")
	scan := func() {
		t.Helper()
		if r := vigil(t, env, "scan", "--regions", "eu-west-1", "--db", db); r.code != 0 {
			t.Fatalf("scan exit %d: %s", r.code, r.stderr)
		}
	}
	export := func(name string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if r := vigil(t, env, "export", p, "--db", db); r.code != 0 {
			t.Fatalf("export exit %d: %s", r.code, r.stderr)
		}
		return p
	}
	scan()
	oldFile := export("old.vgl")
	var scans []struct{ ID string }
	mustJSON(t, vigil(t, env, "scans", "--json", "--db", db).stdout, &scans)
	if len(scans) != 1 {
		t.Fatalf("scans after one scan: %d", len(scans))
	}
	first := scans[0].ID

	time.Sleep(1100 * time.Millisecond) // scan IDs and times are per second
	srv.AWS(t, "ec2", "revoke-security-group-ingress", "--region", "eu-west-1", "--group-id", sg.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	srv.AWS(t, "s3api", "delete-bucket", "--bucket", "gone-soon")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "new-one")
	scan()
	newFile := export("new.vgl")

	sgARN := "arn:aws:ec2:eu-west-1:123456789012:security-group/" + sg.GroupId
	check := func(what string, args ...string) {
		t.Helper()
		r := vigil(t, env, append([]string{"diff", "--json"}, args...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", what, r.code, r.stderr)
		}
		var d diffJSON
		mustJSON(t, r.stdout, &d)
		if len(d.Assets.Added) != 1 || d.Assets.Added[0].ID != "arn:aws:s3:::new-one" {
			t.Errorf("%s: added %+v, want new-one", what, d.Assets.Added)
		}
		if len(d.Assets.Removed) != 1 || d.Assets.Removed[0].ID != "arn:aws:s3:::gone-soon" {
			t.Errorf("%s: removed %+v, want gone-soon", what, d.Assets.Removed)
		}
		var paths []string
		for _, c := range d.Assets.Changed {
			if c.ID == sgARN {
				for _, ch := range c.Changes {
					paths = append(paths, ch.Path)
					if ch.Path == "ingress" && (ch.Before == nil || ch.After == nil) {
						t.Errorf("%s: ingress %v -> %v, want the rule before and an empty list after", what, ch.Before, ch.After)
					}
				}
			}
		}
		sort.Strings(paths)
		if !strings.Contains(strings.Join(paths, ","), "ingress") {
			t.Errorf("%s: the security group's changed paths are %v, want ingress", what, paths)
		}
		closed := false
		for _, v := range d.Violations["closed"] {
			if v.ID == "" || v.PolicyID == "" || v.AssetID == "" {
				t.Errorf("%s: closed violation without id, policy_id or asset_id: %+v", what, v)
			}
			closed = closed || v.PolicyID == "ec2-sg-open-ssh" && v.AssetID == sgARN
		}
		if !closed {
			t.Errorf("%s: closed %+v, want ec2-sg-open-ssh on the group", what, d.Violations["closed"])
		}
		for _, k := range []string{"opened", "closed", "exempted", "reopened"} {
			if _, ok := d.Violations[k]; !ok {
				t.Errorf("%s: violations has no %q list", what, k)
			}
		}
	}
	check("store diff", "--db", db)
	check("file diff", oldFile, newFile)

	at := vigil(t, env, "asset", sgARN, "--at", first, "--json", "--db", db)
	if at.code != 0 {
		t.Fatalf("asset --at: exit %d: %s", at.code, at.stderr)
	}
	var doc struct{ Attrs struct{ Ingress []any } }
	mustJSON(t, at.stdout, &doc)
	if len(doc.Attrs.Ingress) != 1 {
		t.Errorf("the group at the first scan has %d ingress rules, want the open one", len(doc.Attrs.Ingress))
	}

	home := t.TempDir()
	tenv := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=xterm-256color",
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	s := startTmux(t, 140, 40, tenv, "--db", db, "--read-only")
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	s.keys("-l", ":changes")
	s.keys("Enter")
	s.waitFor(`~ asset`, 30*time.Second)
	s.keys("-l", "Fsecurity-group")
	s.keys("Enter")
	s.waitFor(`ingress: \[`, 30*time.Second)
	for _, k := range []string{"Escape", "Escape", "Escape", "q"} {
		s.keys(k)
		time.Sleep(300 * time.Millisecond)
	}
	if scr := s.waitFor(`VIGIL_EXIT=\d+`, 10*time.Second); !strings.Contains(scr, "VIGIL_EXIT=0") {
		t.Errorf("vigil did not exit 0:\n%s", scr)
	}
}
