package main

import (
	"errors"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/internal/testmoto"
)

// A scan killed (a real SIGKILL of the binary, through the test hook
// VIGIL_TEST_CRASH_AT) at any step boundary never reads `complete`, and the
// violations of the resources it found deleted are closed by the next open
// or the next scan, while a still-present violation stays open.
func TestKillNineAtEveryStepBoundary(t *testing.T) {
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	for i, step := range cycle.Steps {
		t.Run(step, func(t *testing.T) {
			dbDir := filepath.Join(t.TempDir(), "db")
			var gone, kept struct{ GroupId string }
			mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "gone-"+step,
				"--description", "x"), &gone)
			mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "kept-"+step,
				"--description", "x"), &kept)
			for _, g := range []string{gone.GroupId, kept.GroupId} {
				srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g,
					"--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
			}
			goneARN := "arn:aws:ec2:us-east-1:123456789012:security-group/" + gone.GroupId
			keptARN := "arn:aws:ec2:us-east-1:123456789012:security-group/" + kept.GroupId
			scan := []string{"scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", dbDir}
			if r := vigil(t, env, scan...); r.code != 0 {
				t.Fatalf("first scan: exit %d: %s", r.code, r.stderr)
			}
			rep := readReport(t, env, dbDir)
			if rep.status("ec2-sg-open-ssh", goneARN) != "open" || rep.status("ec2-sg-open-ssh", keptARN) != "open" {
				t.Fatalf("fixture: want both groups' violations open, got %q and %q",
					rep.status("ec2-sg-open-ssh", goneARN), rep.status("ec2-sg-open-ssh", keptARN))
			}
			srv.AWS(t, "ec2", "delete-security-group", "--region", "us-east-1", "--group-id", gone.GroupId)

			if killed, out := runKilled(t, mergeEnv(env, map[string]string{testCrashEnv: step}), scan...); !killed {
				t.Fatalf("the scan was not killed at %s:\n%s", step, out)
			}
			var scans []struct{ ID, Status string }
			r := vigil(t, env, "scans", "--json", "--db", dbDir)
			mustJSON(t, r.stdout, &scans)
			if len(scans) != 2 || scans[0].Status == "complete" || scans[1].Status != "complete" {
				t.Fatalf("after a kill at %s, scans read %+v; want the killed one not complete", step, scans)
			}
			// The open above finished what the killed scan stored.
			if i > 0 {
				rep = readReport(t, env, dbDir)
				if got := rep.status("ec2-sg-open-ssh", goneARN); got != "closed" {
					t.Errorf("after a kill at %s and one open, the deleted group's violation is %q, want closed", step, got)
				}
			}
			if r := vigil(t, env, scan...); r.code != 0 {
				t.Fatalf("scan after the crash: exit %d: %s", r.code, r.stderr)
			}
			rep = readReport(t, env, dbDir)
			if got := rep.status("ec2-sg-open-ssh", goneARN); got != "closed" {
				t.Errorf("after a kill at %s and a rescan, the deleted group's violation is %q, want closed", step, got)
			}
			if got := rep.status("ec2-sg-open-ssh", keptARN); got != "open" {
				t.Errorf("after a kill at %s and a rescan, the remaining group's violation is %q, want open", step, got)
			}
			r = vigil(t, env, "scans", "--json", "--db", dbDir)
			mustJSON(t, r.stdout, &scans)
			if len(scans) != 3 || scans[0].Status != "complete" || scans[1].Status != "aborted" {
				t.Errorf("after the rescan, scans read %+v; want complete, aborted, complete", scans)
			}
		})
	}
}

// runKilled runs vigil and reports whether SIGKILL ended it.
func runKilled(t *testing.T, env map[string]string, args ...string) (bool, string) {
	t.Helper()
	cmd := exec.Command(vigilBin, args...)
	cmd.Env = baseEnv(t, env)
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false, string(out)
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, string(out)
}

func mergeEnv(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
