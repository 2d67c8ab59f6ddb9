// Command vigil is policy-as-code compliance for the cloud, run from a
// terminal: it discovers resources, judges them against policies written as
// code, tracks every violation and fixes them with one confirmed key press.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/vigil-sec/vigil/asset"
)

// Exit codes of the headless commands.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	exitPartial = 3
	exitBreach  = 4 // --fail-on: an open violation at or above the severity
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
			printError(os.Stderr, ee.err)
		}
		os.Exit(ee.code)
	}
	printError(os.Stderr, err)
	os.Exit(exitFailed)
}

// printError prints a command's error through the terminal sanitiser: errors
// quote AWS data (a fix's drift names the live state) and asset names.
func printError(w io.Writer, err error) {
	fmt.Fprintln(w, "vigil:", asset.Clean(err.Error()))
}
