package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// The local CLI while the console holds the store: in a second tmux pane
// `vigil report` runs inside the console's process through the socket
// beside the store and prints the report; a command that may not run
// there (scan) is refused with the lock's message; the socket is 0600 and
// gone when the console quits.
func TestLocalCLIWhileConsoleHoldsStore(t *testing.T) {
	t.Parallel()
	srv := testmoto.Start(t)
	env := motoEnv(srv, "")
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	var g struct{ GroupId string }
	mustJSON(t, srv.AWS(t, "ec2", "create-security-group", "--region", "us-east-1", "--group-name", "bastion", "--description", "x"), &g)
	srv.AWS(t, "ec2", "authorize-security-group-ingress", "--region", "us-east-1", "--group-id", g.GroupId, "--protocol", "tcp", "--port", "22", "--cidr", "0.0.0.0/0")
	if r := vigil(t, env, "scan", "--regions", "us-east-1", "--types", "aws.ec2.security-group", "--db", db); r.code != 0 {
		t.Fatalf("scan: exit %d: %s", r.code, r.stderr)
	}
	home := t.TempDir()
	tenv := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color",
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	for k, v := range env {
		tenv = append(tenv, k+"="+v)
	}
	s := startTmux(t, 120, 40, tenv, "--db", db)
	s.waitFor(`\d{1,3}%`, 60*time.Second)

	sock := db + ".sock"
	fi, err := os.Lstat(sock)
	if err != nil || fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket beside the store: %v, mode %v; want a 0600 socket", err, fi)
	}

	out := filepath.Join(dir, "report.json")
	shell := "env -i"
	for _, kv := range tenv {
		shell += " '" + kv + "'"
	}
	shell += " " + vigilBin + " report --format json --db " + db + " > " + out + "; echo REPORT_EXIT=$?; sleep 30"
	if b, err := exec.Command("tmux", "-S", s.sock, "split-window", "-t", s.name, shell).CombinedOutput(); err != nil {
		t.Fatalf("split-window: %v\n%s", err, b)
	}
	s.waitFor(`REPORT_EXIT=0`, 30*time.Second)
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep reportJSON
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatalf("report from the second pane is not JSON: %v\n%s", err, raw)
	}
	if rep.status("ec2-sg-open-ssh", "arn:aws:ec2:us-east-1:123456789012:security-group/"+g.GroupId) != "open" {
		t.Errorf("the forwarded report lacks the open SSH violation: %s", raw)
	}

	// import is forwarded too, a relative file name resolved where it was
	// typed: a bucket scanned into another store arrives in the held one.
	srv.AWS(t, "s3api", "create-bucket", "--bucket", "arrived-by-import")
	other := filepath.Join(dir, "other")
	if r := vigil(t, env, "scan", "--regions", "us-east-1", "--types", "aws.s3.bucket", "--db", other); r.code != 0 {
		t.Fatalf("scan of the other store: exit %d: %s", r.code, r.stderr)
	}
	if r := vigil(t, env, "export", filepath.Join(dir, "other.vgl"), "--db", other); r.code != 0 {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	imp := exec.Command(vigilBin, "import", "other.vgl", "--db", db)
	imp.Dir, imp.Env = dir, baseEnv(t, env)
	if out, err := imp.CombinedOutput(); err != nil || !strings.Contains(string(out), "units replaced") {
		t.Fatalf("import while the console holds the store: %v\n%s", err, out)
	}
	if r := vigil(t, env, "assets", "--json", "--db", db); !strings.Contains(r.stdout, "arrived-by-import") {
		t.Errorf("the imported bucket is not in the held store: exit %d\n%s", r.code, r.stdout)
	}

	r := vigil(t, env, "scan", "--regions", "us-east-1", "--db", db)
	if r.code == 0 || !strings.Contains(r.stderr, "in use by another vigil") {
		t.Errorf("scan while the console holds the store: exit %d, stderr %q; want the lock's refusal", r.code, r.stderr)
	}
	r = vigil(t, env, "violations", "--db", db, "--status", "bogus")
	if r.code != exitUsage || !strings.Contains(r.stderr, "bogus") {
		t.Errorf("a forwarded usage error: exit %d, stderr %q; want exit 2 naming the bad value", r.code, r.stderr)
	}

	if b, err := exec.Command("tmux", "-S", s.sock, "send-keys", "-t", s.name+".0", "q").CombinedOutput(); err != nil {
		t.Fatalf("send q: %v\n%s", err, b)
	}
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Lstat(sock); os.IsNotExist(err) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Error("the socket is still there after the console quit")
}
