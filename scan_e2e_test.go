package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
	"github.com/vigil-sec/vigil/internal/testproxy"
)

// The operator's path: seed AWS with awscli, `vigil scan` two regions, list
// assets as JSON, read the report, fix a misconfiguration with awscli,
// rescan, and see the violation closed while its compliant twin never had one.
func TestScanListReportAndCloseAfterFix(t *testing.T) {
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	db := filepath.Join(t.TempDir(), "db")

	var open, closed struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "eu-west-1", "--group-name", "ssh-world", "--description", "x"), &open)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "eu-west-1", "--group-id", open.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "eu-west-1", "--group-name", "ssh-office", "--description", "x"), &closed)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "eu-west-1", "--group-id", closed.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "10.0.0.0/8")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "public-reports")
	srv.AWS(t, "s3api", "put-bucket-acl", "--bucket", "public-reports", "--acl", "public-read")
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "private-reports")
	srv.AWS(t, "iam", "create-user", "--user-name", "alice")
	var run struct{ Instances []struct{ InstanceId string } }
	mustJSON(t, srv.AWS(t, "ec2", "run-instances", "--region", "us-east-1", "--image-id", "ami-12345678", "--instance-type", "t3.micro", "--count", "1"), &run)

	r := vigil(t, env, "scan", "--regions", "us-east-1,eu-west-1", "--db", db)
	if r.code != 0 {
		t.Fatalf("scan exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "complete") || !strings.Contains(r.stdout, "aws.ec2.security-group") {
		t.Errorf("scan summary lacks the status or the table:\n%s", r.stdout)
	}

	a := vigil(t, env, "assets", "--json", "--db", db)
	var sums []struct{ ID, Type, Account, Region string }
	mustJSON(t, a.stdout, &sums)
	ids := map[string]bool{}
	for _, s := range sums {
		ids[s.ID] = true
	}
	openARN := "arn:aws:ec2:eu-west-1:123456789012:security-group/" + open.GroupId
	twinARN := "arn:aws:ec2:eu-west-1:123456789012:security-group/" + closed.GroupId
	want := []string{openARN, twinARN, "arn:aws:s3:::public-reports", "arn:aws:s3:::private-reports",
		"arn:aws:iam::123456789012:user/alice", "arn:aws:ec2:us-east-1:123456789012:instance/" + run.Instances[0].InstanceId,
		"aws:account:123456789012"}
	for _, id := range want {
		if !ids[id] {
			t.Errorf("vigil assets --json lacks %s", id)
		}
	}

	rep := readReport(t, env, db)
	if rep.Scan.Status != "complete" {
		t.Errorf("report scan status %q", rep.Scan.Status)
	}
	checks := []struct{ policy, asset, want string }{
		{"ec2-sg-open-ssh", openARN, "open"},
		{"ec2-sg-open-ssh", twinARN, ""},
		{"s3-bucket-public-read", "arn:aws:s3:::public-reports", "open"},
		{"s3-bucket-public-read", "arn:aws:s3:::private-reports", ""},
	}
	for _, c := range checks {
		if got := rep.status(c.policy, c.asset); got != c.want {
			t.Errorf("%s on %s: status %q, want %q", c.policy, c.asset, got, c.want)
		}
	}

	srv.AWS(t, "ec2", "revoke-security-group-ingress", "--region", "eu-west-1", "--group-id", open.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	if r := vigil(t, env, "scan", "--regions", "us-east-1,eu-west-1", "--db", db); r.code != 0 {
		t.Fatalf("rescan exit %d: %s", r.code, r.stderr)
	}
	rep = readReport(t, env, db)
	if got := rep.status("ec2-sg-open-ssh", openARN); got != "closed" {
		t.Errorf("after the fix, ec2-sg-open-ssh on %s is %q, want closed", openARN, got)
	}
}

// Exit codes: 3 when a region is down (partial), 1 with one clear sentence
// when there are no credentials at all.
func TestScanExitCodes(t *testing.T) {
	srv := testmoto.Start(t)
	srv.AWS(t, "ec2", "create-security-group", "--region", "eu-west-1", "--group-name", "g", "--description", "x")
	proxy := testproxy.Start(t, srv.URL, testproxy.Options{DeadRegion: "eu-west-1"})
	db := filepath.Join(t.TempDir(), "db")
	r := vigil(t, motoEnv(srv, proxy.URL), "scan", "--regions", "us-east-1,eu-west-1", "--types", "aws.ec2.vpc,aws.ec2.security-group", "--db", db)
	if r.code != 3 {
		t.Fatalf("scan with a dead region: exit %d, want 3\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stdout, "Failed units") || !strings.Contains(r.stdout, "eu-west-1") {
		t.Errorf("summary does not list the failed units:\n%s", r.stdout)
	}

	noCreds := map[string]string{"AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
		"AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": srv.URL, "AWS_REGION": "us-east-1"}
	r = vigil(t, noCreds, "scan", "--regions", "us-east-1", "--db", db)
	if r.code != 1 {
		t.Errorf("scan without credentials: exit %d, want 1", r.code)
	}
	if !strings.Contains(r.stderr, "no AWS credentials") || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
		t.Errorf("want one clear sentence about credentials, got:\n%s", r.stderr)
	}
}
