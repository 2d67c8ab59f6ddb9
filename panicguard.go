package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/vigil-sec/vigil/asset"
)

// recoverPanic reports a recovered panic: the stack goes to the log file,
// the terminal gets one line saying where to find it. It returns the exit
// status.
func recoverPanic(e *env, r any) int {
	stack := debug.Stack()
	where := "the log could not be written, so no details were kept"
	p := e.paths().Log
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err == nil {
		if f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600); err == nil {
			_, werr := fmt.Fprintf(f, "%s panic: %v\n%s\n", time.Now().UTC().Format(time.RFC3339), r, stack)
			if cerr := f.Close(); werr == nil && cerr == nil {
				where = "details are in " + p
			}
		}
	}
	msg := asset.Clean(strings.ReplaceAll(fmt.Sprint(r), "\n", " "))
	fmt.Fprintf(e.stderr, "vigil: internal error: %s (a bug in vigil; %s)\n", msg, where)
	return exitFailed
}
