// Command vigil is policy-as-code compliance for the cloud, run from a
// terminal: it discovers resources, judges them against policies written as
// code, tracks every violation and fixes them with one confirmed key press.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
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
	e := defaultEnv()
	e.args = os.Args[1:]
	os.Exit(execute(e, newRootCmd(e)))
}

// execute runs the command tree and returns the exit status. A panic on
// this goroutine becomes one line on stderr and its stack goes to the log
// (see recoverPanic); the commands' deferred closes have run by then, so
// the store is closed and its lock released.
func execute(e *env, root *cobra.Command) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = recoverPanic(e, r)
		}
	}()
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	if code, ok := forwardLocked(e, root, err); ok {
		return code
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			printError(e.stderr, ee.err)
		}
		return ee.code
	}
	printError(e.stderr, err)
	return exitFailed
}

// forwardLocked runs the command in the process that holds the store when
// err says the store is locked and that process listens on its socket; ok
// is false when the command must fail as it did.
func forwardLocked(e *env, root *cobra.Command, err error) (code int, ok bool) {
	name := topCommand(root, e.args)
	if !errors.Is(err, db.ErrLocked) || e.owner != nil || !localCommands()[name] {
		return 0, false
	}
	args := e.args
	if name == "import" { // the files it names, as typed here
		args = absPaths(args, name)
	}
	code, ferr := forwardToOwner(e.paths().DB, args, e.stdout, e.stderr)
	if errors.Is(ferr, errNoOwner) {
		return 0, false
	}
	if ferr != nil {
		printError(e.stderr, ferr)
		return exitFailed, true
	}
	return code, true
}

// printError prints a command's error through the terminal sanitiser: errors
// quote AWS data (a fix's drift names the live state) and asset names.
func printError(w io.Writer, err error) {
	fmt.Fprintln(w, "vigil:", asset.Clean(err.Error()))
}
