package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConsoleListKeysInTmux presses the list keys of issue 16 §3 in the
// real binary on the demo: s/S sort (the header marks the column), space
// and ctrl+a select, :export writes a private CSV, o shows the AWS console
// URL, and u on the fixes page opens the undo dialog.
func TestConsoleListKeysInTmux(t *testing.T) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=xterm-256color",
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	s := startTmux(t, 160, 48, env, "demo")
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	pause := func() { time.Sleep(300 * time.Millisecond) }
	s.keys("-l", ":violations")
	s.keys("Enter")
	s.waitFor(`Severity\s+Status\s+Age\s+Policy\s+Asset\s+Message`, 30*time.Second)
	s.keys("s")
	s.waitFor(`Severity↑`, 10*time.Second)
	s.keys("S")
	s.waitFor(`Severity↓`, 10*time.Second)
	s.keys("Space")
	s.waitFor(`1 selected`, 10*time.Second)
	s.keys("C-a")
	s.waitFor(`\d{2,} selected`, 10*time.Second)
	s.keys("Escape")
	pause()
	if strings.Contains(s.screen(), "selected (") {
		t.Fatalf("esc did not clear the selection:\n%s", s.screen())
	}
	out := filepath.Join(home, "violations.csv")
	s.keys("-l", ":export csv "+out)
	s.keys("Enter")
	s.waitFor(`exported \d+ rows`, 30*time.Second)
	st, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v, want 0600", st.Mode().Perm())
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "Severity,Status,Age,Policy,Asset,Message,") {
		t.Errorf("export header: %.80q", b)
	}
	s.keys("o")
	s.waitFor(`AWS console \(account \d+\), copied: https://`, 10*time.Second)
	s.keys("-l", ":fixes")
	s.keys("Enter")
	s.waitFor(`fix records, newest first`, 30*time.Second)
	s.keys("u")
	s.waitFor(`Undo fix fix-`, 10*time.Second)
	for _, k := range []string{"Escape", "Escape", "q"} {
		s.keys(k)
		pause()
	}
	scr := s.waitFor(`VIGIL_EXIT=\d+`, 10*time.Second)
	if !strings.Contains(scr, "VIGIL_EXIT=0") {
		t.Errorf("vigil did not exit 0:\n%s", scr)
	}
}
