// Command vigil is policy-as-code compliance for the cloud, run from a
// terminal: it discovers resources, judges them against policies written as
// code, tracks every violation and fixes them with one confirmed key press.
package main

import (
	"errors"
	"fmt"
	"os"
)

// Exit codes of the headless commands.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitPartial = 3
)

// exitError carries a specific exit code up to main.
type exitError struct {
	code int
	err  error
}

// Error is the wrapped error's message.
func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// Unwrap returns the wrapped error.
func (e *exitError) Unwrap() error { return e.err }

func main() {
	root := newRootCmd(defaultEnv())
	err := root.Execute()
	if err == nil {
		return
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(os.Stderr, "vigil:", ee.err)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "vigil:", err)
	os.Exit(exitFailed)
}
