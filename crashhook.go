package main

import (
	"os"
	"syscall"
)

// testCrashEnv names a scan step boundary (cycle.Steps) at which vigil kills
// itself with SIGKILL, so the crash tests can stop a real binary exactly
// between two steps. A test hook only: unset (always, outside tests) it
// does nothing.
const testCrashEnv = "VIGIL_TEST_CRASH_AT"

// crashHook returns the cycle's AfterStep hook for the test crash variable,
// nil when it is unset.
func crashHook(getenv func(string) string) func(string) {
	at := getenv(testCrashEnv)
	if at == "" {
		return nil
	}
	return func(step string) {
		if step == at {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // SIGKILL is not deliverable late; never continue past the boundary
		}
	}
}
