package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/db"
)

// A panic in a command is one line on stderr pointing at the log, the stack
// is in the log, the exit status is 1, and the store the command had open
// is closed (its lock released).
func TestPanicIsOneLineWithTheStackInTheLog(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	dir := filepath.Join(t.TempDir(), "db")
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, now: time.Now, isTTY: func(any) bool { return false }}
	root := &cobra.Command{Use: "vigil", SilenceErrors: true, SilenceUsage: true,
		RunE: func(*cobra.Command, []string) error {
			st, err := db.Open(dir, db.Options{})
			if err != nil {
				return err
			}
			defer st.Close()
			var m map[string]int
			m["boom"] = 1 // a nil-map write: a runtime panic
			return nil
		}}
	root.SetArgs([]string{})
	if code := execute(e, root); code != exitFailed {
		t.Errorf("exit %d, want %d", code, exitFailed)
	}
	msg := errb.String()
	logPath := filepath.Join(state, "vigil", "vigil.log")
	if strings.Count(msg, "\n") != 1 || !strings.Contains(msg, "internal error") || !strings.Contains(msg, logPath) {
		t.Errorf("stderr is not one line pointing at the log:\n%s", msg)
	}
	noStackTrace(t, "the panic guard", msg)
	logged, err := os.ReadFile(logPath)
	if err != nil || !strings.Contains(string(logged), "goroutine ") || !strings.Contains(string(logged), "assignment to entry in nil map") {
		t.Errorf("the log lacks the panic and its stack (%v):\n%s", err, logged)
	}
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		t.Fatalf("the store is still locked after the panic: %v", err)
	}
	st.Close()
}
