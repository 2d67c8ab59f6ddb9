package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// An auditor's flow: a saved scan opened with `vigil open` shows the full
// console read-only (dashboard, search, an asset), creates no store of the
// user's, and leaves nothing behind on quit; after a kill -9 the next
// `vigil open` removes what the killed one left.
func TestOpenSnapshotInTmuxLeavesNothing(t *testing.T) {
	t.Parallel()
	store := demoStore(t)
	file := filepath.Join(t.TempDir(), "tuesday.vgl")
	if r := vigil(t, nil, "export", file, "--db", store); r.code != 0 {
		t.Fatalf("export: exit %d: %s", r.code, r.stderr)
	}
	home, runtime := t.TempDir(), t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=xterm-256color", "XDG_RUNTIME_DIR=" + runtime,
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	private := func() []string {
		m, _ := filepath.Glob(filepath.Join(runtime, "vigil-open-*"))
		return m
	}

	s := startTmux(t, 120, 40, env, "open", file)
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	s.waitFor(`read-only`, 5*time.Second)
	if p := private(); len(p) != 1 {
		t.Fatalf("private stores while open: %v, want one", p)
	}
	s.keys("-l", "/payments-api-prod")
	s.waitFor(`(?m)^>\s*asset\s+payments-api-prod\s+aws\.[a-z0-9]+\.`, 60*time.Second)
	s.keys("Enter")
	s.waitFor(`Environment = prod`, 30*time.Second)
	for _, k := range []string{"Escape", "Escape", "q"} {
		s.keys(k)
		time.Sleep(300 * time.Millisecond)
	}
	if scr := s.waitFor(`VIGIL_EXIT=\d+`, 20*time.Second); !strings.Contains(scr, "VIGIL_EXIT=0") {
		t.Errorf("vigil open did not exit 0:\n%s", scr)
	}
	if p := private(); len(p) != 0 {
		t.Errorf("left behind after quit: %v", p)
	}
	if _, err := os.Stat(filepath.Join(home, "data", "vigil", "db")); !os.IsNotExist(err) {
		t.Errorf("vigil open created a store of the user's (%v)", err)
	}

	// kill -9: the private store stays; the next open sweeps it.
	s = startTmux(t, 120, 40, env, "open", file)
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	left := private()
	if len(left) != 1 {
		t.Fatalf("private stores while open: %v", left)
	}
	pidStr, _, _ := strings.Cut(strings.TrimPrefix(filepath.Base(left[0]), "vigil-open-"), "-")
	pid, err := strconv.Atoi(pidStr)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s.waitFor(`VIGIL_EXIT=\d+`, 20*time.Second)
	if p := private(); len(p) != 1 {
		t.Fatalf("after kill -9: %v, want the killed one's store still there", p)
	}
	s = startTmux(t, 120, 40, env, "open", file)
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	if p := private(); len(p) != 1 || p[0] == left[0] {
		t.Errorf("after the next open: %v; want only the new one (the killed one's %s swept)", p, left[0])
	}
	s.keys("q")
	s.waitFor(`VIGIL_EXIT=0`, 20*time.Second)
	if p := private(); len(p) != 0 {
		t.Errorf("left behind after the last quit: %v", p)
	}
}
