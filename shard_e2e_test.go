package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// Four sharded scans, as four jobs of a Kubernetes Indexed Job or an AWS
// Batch array would run them, each write a snapshot to moto's S3 with no
// local store; importing the four gives the same assets (IDs and document
// hashes) and the same violations as one full scan.
func TestShardedScansImportLikeOneScan(t *testing.T) {
	t.Parallel()
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "vigil-snapshots")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "logs-a")
	for _, region := range []string{"us-east-1", "eu-west-1"} {
		var g struct{ GroupId string }
		mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", region, "--group-name", "web-"+region, "--description", "x"), &g)
		srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", region, "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	}
	srv.AWS(t, "iam", "create-user", "--user-name", "deploy")
	scanArgs := []string{"scan", "--regions", "us-east-1,eu-west-1", "--types", "aws.ec2.security-group,aws.ec2.vpc,aws.s3.bucket,aws.iam.user"}

	shardDir := t.TempDir() // each job's own home: no store is made there
	for i := 0; i < 4; i++ {
		jobEnv := map[string]string{"JOB_COMPLETION_INDEX": fmt.Sprint(i)}
		for k, v := range env {
			jobEnv[k] = v
		}
		db := filepath.Join(shardDir, fmt.Sprint(i), "db")
		r := vigil(t, jobEnv, append(scanArgs, "--shards", "4", "--export", "s3://vigil-snapshots/nightly/", "--db", db)...)
		if r.code != 0 {
			t.Fatalf("shard %d: exit %d\n%s\n%s", i, r.code, r.stdout, r.stderr)
		}
		if want := fmt.Sprintf("s3://vigil-snapshots/nightly/shard-%d-of-4.vgl", i); !strings.Contains(r.stderr, want) {
			t.Errorf("shard %d did not say it wrote %s: %s", i, want, r.stderr)
		}
		if _, err := filepath.Glob(db); err == nil {
			if m, _ := filepath.Glob(filepath.Join(db, "*")); len(m) > 0 {
				t.Errorf("shard %d left a store at %s", i, db)
			}
		}
	}
	var listing struct{ Contents []struct{ Key string } }
	mustJSON(t, srv.AWS(t, "s3api", "list-objects-v2", "--bucket", "vigil-snapshots", "--prefix", "nightly/"), &listing)
	if len(listing.Contents) != 4 {
		t.Fatalf("%d snapshots in s3://vigil-snapshots/nightly/, want 4: %+v", len(listing.Contents), listing.Contents)
	}

	merged := filepath.Join(t.TempDir(), "db")
	if r := vigil(t, env, "import", "s3://vigil-snapshots/nightly/", "--db", merged); r.code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	full := filepath.Join(t.TempDir(), "db")
	if r := vigil(t, env, append(scanArgs, "--db", full)...); r.code != 0 {
		t.Fatalf("full scan: exit %d\n%s", r.code, r.stderr)
	}

	assets := func(db string) []string {
		var xs []struct {
			ID   string          `json:"id"`
			Hash json.RawMessage `json:"hash"`
		}
		mustJSON(t, vigil(t, env, "assets", "--json", "--db", db).stdout, &xs)
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = x.ID + " " + string(x.Hash)
		}
		sort.Strings(out)
		return out
	}
	violations := func(db string) []string {
		var xs []struct {
			ID       string `json:"id"`
			PolicyID string `json:"policy_id"`
			AssetID  string `json:"asset_id"`
			Status   string `json:"status"`
		}
		mustJSON(t, vigil(t, env, "violations", "--json", "--db", db).stdout, &xs)
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = strings.Join([]string{x.ID, x.PolicyID, x.AssetID, x.Status}, " ")
		}
		sort.Strings(out)
		return out
	}
	a, b := assets(merged), assets(full)
	if len(b) < 7 || strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("assets of the four shards:\n%s\n\nof one full scan:\n%s", strings.Join(a, "\n"), strings.Join(b, "\n"))
	}
	va, vb := violations(merged), violations(full)
	if len(vb) == 0 || strings.Join(va, "\n") != strings.Join(vb, "\n") {
		t.Errorf("violations of the four shards:\n%s\n\nof one full scan:\n%s", strings.Join(va, "\n"), strings.Join(vb, "\n"))
	}
}
