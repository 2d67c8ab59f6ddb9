package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/testmoto"
)

// vigilBin is the real binary, built once for the whole-binary tests.
var vigilBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "vigil-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	vigilBin = filepath.Join(dir, "vigil")
	build := exec.Command("go", "build", "-race", "-o", vigilBin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build vigil:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	stdout, stderr string
	code           int
}

// vigil runs the binary with a private XDG home and the given extra env.
func vigil(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	return vigilWithEnv(t, baseEnv(t, env), args...)
}

func baseEnv(t *testing.T, extra map[string]string) []string {
	home := t.TempDir()
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home,
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_STATE_HOME=" + filepath.Join(home, "state"), "TERM=xterm-256color",
	}
	for k, v := range extra {
		env = append(env, k+"="+v)
	}
	return env
}

func motoEnv(srv *testmoto.Server, endpoint string) map[string]string {
	env := srv.Env()
	if endpoint != "" {
		env["AWS_ENDPOINT_URL"] = endpoint
	}
	delete(env, "AWS_SESSION_TOKEN")
	return env
}

type reportJSON struct {
	Scan       struct{ ID, Status string }
	Compliance map[string]int
	Violations []struct {
		ID       string `json:"id"`
		PolicyID string `json:"policy_id"`
		AssetID  string `json:"asset_id"`
		Status   string `json:"status"`
	}
}

func readReport(t *testing.T, env map[string]string, db string) reportJSON {
	t.Helper()
	r := vigil(t, env, "report", "--format", "json", "--all", "--db", db)
	if r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	var rep reportJSON
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report JSON: %v\n%s", err, r.stdout)
	}
	return rep
}

func (r reportJSON) status(policy, assetID string) string {
	for _, v := range r.Violations {
		if v.PolicyID == policy && v.AssetID == assetID {
			return v.Status
		}
	}
	return ""
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(strings.TrimSpace(s)), v); err != nil {
		t.Fatalf("json: %v\n%s", err, s)
	}
}
