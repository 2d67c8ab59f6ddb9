package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sshServer is `vigil serve --demo` on a loopback port with four users.
type sshServer struct {
	t    *testing.T
	port int
	keys map[string]string // user -> private key file
	env  []string
	cmd  *exec.Cmd
	data string // XDG_DATA_HOME
}

// startServe writes a config with vera (viewer), otto (operator), pia
// (operator confined to prod) and ada (admin), and starts the real binary.
// extra lines go under serve: in the config (e.g. "  idle_timeout: 3s").
func startServe(t *testing.T, extra ...string) *sshServer {
	t.Helper()
	for _, bin := range []string{"ssh", "ssh-keygen"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is needed for the SSH tests (apt-get install openssh-client): %v", bin, err)
		}
	}
	s := &sshServer{t: t, keys: map[string]string{}}
	s.env = baseEnv(t, nil)
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, "XDG_DATA_HOME="); ok {
			s.data = v
		}
	}
	keyDir := t.TempDir()
	pub := map[string]string{}
	for _, u := range []string{"vera", "otto", "pia", "ada", "mallory"} {
		p := filepath.Join(keyDir, u)
		if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", u, "-f", p).CombinedOutput(); err != nil {
			t.Fatalf("ssh-keygen: %v\n%s", err, out)
		}
		b, err := os.ReadFile(p + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		s.keys[u], pub[u] = p, strings.TrimSpace(string(b))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cfg := fmt.Sprintf(`serve:
  users:
    - {name: vera, role: viewer, keys: [%q]}
    - {name: otto, role: operator, keys: [%q]}
    - {name: pia, role: operator, keys: [%q], groups: [prod]}
    - {name: ada, role: admin, keys: [%q]}
`, pub["vera"], pub["otto"], pub["pia"], pub["ada"]) + strings.Join(extra, "\n")
	var cfgDir string
	for _, kv := range s.env {
		if v, ok := strings.CutPrefix(kv, "XDG_CONFIG_HOME="); ok {
			cfgDir = filepath.Join(v, "vigil")
		}
	}
	if err := os.MkdirAll(cfgDir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s.cmd = exec.Command(vigilBin, "serve", "--demo", "--listen", fmt.Sprintf("127.0.0.1:%d", s.port))
	s.cmd.Env = s.env
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.cmd.Process.Kill(); _ = s.cmd.Wait() })
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(5 * time.Minute):
		t.Fatal("vigil serve never said it was listening")
	}
	return s
}

// sshArgs are the client options every run uses.
func (s *sshServer) sshArgs(user string) []string {
	return []string{"-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
		"-o", "LogLevel=ERROR", "-i", s.keys[user], "-p", fmt.Sprint(s.port), user + "@127.0.0.1"}
}

// run runs a headless command over ssh as user.
func (s *sshServer) run(user string, args ...string) result {
	s.t.Helper()
	cmd := exec.Command("ssh", append(s.sshArgs(user), args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		s.t.Fatalf("ssh %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// fixableViolation finds an open violation whose fix plans cleanly.
func (s *sshServer) fixableViolation() string {
	s.t.Helper()
	r := s.run("ada", "violations", "--json", "--status", "open", "--policy", "cloudtrail-log-validation")
	var vs []struct {
		ID string `json:"id"`
	}
	mustJSON(s.t, r.stdout, &vs)
	for i, v := range vs {
		if i > 60 {
			break
		}
		p := s.run("ada", "fix", v.ID)
		if p.code == 0 && strings.Contains(p.stdout, "calls:") {
			return v.ID
		}
	}
	s.t.Fatal("no fixable open violation in the demo store")
	return ""
}

type fixRec struct {
	By          string `json:"by"`
	Status      string `json:"status"`
	ViolationID string `json:"violation_id"`
}

func (s *sshServer) fixes() []fixRec {
	var recs []fixRec
	mustJSON(s.t, s.run("ada", "fixes", "--json").stdout, &recs)
	return recs
}

// Roles over SSH, headless: an unknown key is refused at authentication;
// a viewer reads the report but its fix is refused by the server, exits
// non-zero and is audited; an operator's fix is applied and audited with
// its name; a prod-confined user cannot reach a non-prod asset.
func TestServeHeadlessRoles(t *testing.T) {
	s := startServe(t)

	if r := s.run("mallory", "report"); r.code == 0 || !strings.Contains(r.stderr, "Permission denied (publickey)") {
		t.Errorf("unknown key: exit %d, stderr %q", r.code, r.stderr)
	}
	r := s.run("vera", "report", "--format", "json")
	var rep struct {
		Compliance map[string]int `json:"compliance"`
	}
	if r.code != 0 {
		t.Fatalf("viewer report: exit %d: %s", r.code, r.stderr)
	}
	mustJSON(t, r.stdout, &rep)
	if _, ok := rep.Compliance["overall"]; !ok {
		t.Errorf("viewer report has no overall compliance: %s", r.stdout)
	}

	vid := s.fixableViolation()
	r = s.run("vera", "fix", vid, "--apply", "--yes")
	if r.code == 0 || !strings.Contains(r.stderr, "vera may not fix") {
		t.Errorf("viewer fix: exit %d, stderr %q", r.code, r.stderr)
	}
	found := false
	for _, rec := range s.fixes() {
		if rec.By == "vera" && rec.Status == "refused" && rec.ViolationID == vid {
			found = true
		}
	}
	if !found {
		t.Errorf("the viewer's refused fix is not in the audit trail: %+v", s.fixes())
	}

	r = s.run("otto", "fix", vid, "--apply", "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "applied") {
		t.Fatalf("operator fix: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	found = false
	for _, rec := range s.fixes() {
		if rec.By == "otto" && rec.Status == "applied" && rec.ViolationID == vid {
			found = true
		}
	}
	if !found {
		t.Errorf("the operator's fix is not audited with its name: %+v", s.fixes())
	}

	// pia is confined to prod: pick an asset ada sees and pia does not.
	type sum struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	}
	var all, mine []sum
	mustJSON(t, s.run("ada", "assets", "--json").stdout, &all)
	mustJSON(t, s.run("pia", "assets", "--json").stdout, &mine)
	if len(mine) == 0 || len(mine) >= len(all) {
		t.Fatalf("prod-confined user sees %d of %d assets", len(mine), len(all))
	}
	in := map[string]bool{}
	for _, a := range mine {
		in[a.ID] = true
	}
	var outside, outsideName string
	for _, a := range all {
		if !in[a.ID] && a.Name != "" {
			outside, outsideName = a.ID, a.Name
			break
		}
	}
	// search: ada finds the asset by its name, pia does not.
	if r := s.run("ada", "search", outsideName, "--json", "--limit", "500"); r.code != 0 || !strings.Contains(r.stdout, outside) {
		t.Errorf("admin search for %q misses %s: exit %d\n%s", outsideName, outside, r.code, r.stderr)
	}
	if r := s.run("pia", "search", outsideName, "--json", "--limit", "500"); strings.Contains(r.stdout, outside) {
		t.Errorf("prod-confined user's search reaches %s", outside)
	}
	if r := s.run("pia", "asset", outside); r.code == 0 || strings.Contains(r.stdout, outside) {
		t.Errorf("prod-confined user reached %s: exit %d\n%s", outside, r.code, r.stdout)
	}
	if r := s.run("pia", "report", "--format", "json"); strings.Contains(r.stdout, outside) {
		t.Errorf("prod-confined user's report names %s", outside)
	}

	// exceptions list is confined too: no individual exception of an asset
	// outside prod reaches pia.
	type exc struct {
		ID          string `json:"id"`
		ViolationID string `json:"violation_id"`
	}
	type viol struct {
		ID      string `json:"id"`
		AssetID string `json:"asset_id"`
	}
	var adaExc, piaExc []exc
	var exempt []viol
	mustJSON(t, s.run("ada", "exceptions", "list", "--json").stdout, &adaExc)
	mustJSON(t, s.run("pia", "exceptions", "list", "--json").stdout, &piaExc)
	mustJSON(t, s.run("ada", "violations", "--json", "--status", "exempt", "--status", "open", "--status", "closed").stdout, &exempt)
	assetOf := map[string]string{}
	for _, v := range exempt {
		assetOf[v.ID] = v.AssetID
	}
	hidden := map[string]bool{}
	for _, x := range adaExc {
		if a, ok := assetOf[x.ViolationID]; ok && x.ViolationID != "" && !in[a] {
			hidden[x.ID] = true
		}
	}
	if len(hidden) == 0 {
		t.Fatalf("the demo has no individual exception outside prod to hide (%d exceptions)", len(adaExc))
	}
	for _, x := range piaExc {
		if hidden[x.ID] {
			t.Errorf("prod-confined user's exceptions list shows %s, an exception of an asset outside prod", x.ID)
		}
	}
}

// The console over `ssh -tt` in a private tmux server: a viewer sees the
// dashboard, and its fix key says why it is not available; SIGTERM with the
// session open closes it and leaves a store that opens.
func TestServeConsoleViewerAndShutdown(t *testing.T) {
	s := startServe(t)
	ssh := "ssh -tt " + strings.Join(s.sshArgs("vera"), " ")
	tm := startTmux(t, 120, 40, []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=" + t.TempDir()}, "--version >/dev/null 2>&1; "+ssh)
	tm.waitFor(`\d{1,3}%`, 2*time.Minute)
	tm.keys("f")
	tm.waitFor(`not available: vera is role viewer`, 20*time.Second)
	// The refused key is audited like a refused headless fix.
	audited := false
	for deadline := time.Now().Add(10 * time.Second); !audited && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		for _, rec := range s.fixes() {
			if rec.By == "vera" && rec.Status == "refused" {
				audited = true
			}
		}
	}
	if !audited {
		t.Errorf("vera's fix key in the console is not audited as a refused fix: %+v", s.fixes())
	}

	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("vigil serve after SIGTERM: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("vigil serve did not stop within a minute of SIGTERM")
	}
	tm.waitFor(`VIGIL_EXIT=`, 20*time.Second) // the ssh client ended: the server closed the session
	r := vigilWithEnv(t, s.env, "--db", filepath.Join(s.data, "vigil", "demo"), "scans", "--json")
	if r.code != 0 {
		t.Errorf("the store does not open after SIGTERM: exit %d: %s", r.code, r.stderr)
	}
	var scans []json.RawMessage
	mustJSON(t, r.stdout, &scans)
}

// vigilWithEnv runs the binary with a given environment.
func vigilWithEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(vigilBin, args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run vigil %v: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}
