package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Live refresh across sessions: vera (viewer) has the Fixes page open in
// her SSH console; otto (operator) applies a fix headless over SSH; vera's
// page shows the new record without a key pressed. The time it took is
// logged (the console polls the change count every 500 ms).
func TestServeSessionsSeeAnotherUsersFix(t *testing.T) {
	s := startServe(t)
	vid := s.fixableViolation()
	ssh := "ssh -tt " + strings.Join(s.sshArgs("vera"), " ")
	tm := startTmux(t, 140, 40, []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=" + t.TempDir()}, "--version >/dev/null 2>&1; "+ssh)
	tm.waitFor(`\d{1,3}%`, 2*time.Minute)
	tm.keys("-l", ":fixes")
	tm.keys("Enter")
	count := regexp.MustCompile(`(\d+) fix records`)
	m := count.FindStringSubmatch(tm.waitFor(`\d+ fix records`, 30*time.Second))
	before, _ := strconv.Atoi(m[1])

	if r := s.run("otto", "fix", vid, "--apply", "--yes"); r.code != 0 {
		t.Fatalf("otto's fix: exit %d: %s", r.code, r.stderr)
	}
	applied := time.Now()
	want := regexp.QuoteMeta(strconv.Itoa(before+1)) + ` fix records`
	tm.waitFor(want, 20*time.Second)
	t.Logf("vera's console showed otto's fix %s after it was applied", time.Since(applied).Round(10*time.Millisecond))
}

// serve.idle_timeout: a console left without a key pressed is closed with
// a message saying why; the server logs it.
func TestServeIdleConsoleClosedWithMessage(t *testing.T) {
	s := startServe(t, "  idle_timeout: 4s\n")
	ssh := "ssh -tt " + strings.Join(s.sshArgs("vera"), " ")
	tm := startTmux(t, 120, 40, []string{"PATH=/usr/bin:/bin", "TERM=xterm-256color", "HOME=" + t.TempDir()}, "--version >/dev/null 2>&1; "+ssh)
	tm.waitFor(`\d{1,3}%`, 2*time.Minute)
	tm.keys("j") // input resets the clock
	scr := tm.waitFor(`VIGIL_EXIT=`, 30*time.Second)
	if !strings.Contains(scr, "closed after 4s without a key pressed") {
		t.Errorf("the idle console closed without saying why:\n%s", scr)
	}
}
