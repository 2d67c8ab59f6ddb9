package db

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// pidFile names the file that says which vigil holds a store open.
const pidFile = "vigil.pid"

func pidPath(dir string) string { return filepath.Join(dir, pidFile) }

// writePIDFile records this process (pid, command line, start time) in the
// store directory, so another vigil that finds the store locked can say who
// holds it. It holds no secrets: flags carry no credentials.
func writePIDFile(dir string) error {
	cmd := strings.Join(os.Args, " ")
	if len(cmd) > 200 {
		cmd = cmd[:200] + "…"
	}
	body := fmt.Sprintf("%d\n%s\n%s\n", os.Getpid(), cmd, time.Now().UTC().Format(time.RFC3339))
	if err := os.WriteFile(pidPath(dir), []byte(body), 0o600); err != nil {
		return fmt.Errorf("store %s: write %s: %w", dir, pidFile, err)
	}
	return nil
}

// ErrLocked is what the error Open returns when another process holds the
// store matches with errors.Is.
var ErrLocked = errors.New("store is locked by another process")

// lockedErr is a locked store's message, matching ErrLocked.
type lockedErr struct{ msg string }

func (e lockedErr) Error() string        { return e.msg }
func (e lockedErr) Is(target error) bool { return target == ErrLocked }

// lockedError explains that another process holds the store, naming it
// when its pid file is readable.
func lockedError(dir string) error {
	raw, err := os.ReadFile(pidPath(dir))
	if err != nil {
		return lockedErr{fmt.Sprintf("store %s is in use by another vigil (close it, or open a copy with --read-only)", dir)}
	}
	lines := strings.SplitN(strings.TrimSpace(string(raw)), "\n", 3)
	pid, err := strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || pid <= 0 || !alive(pid) {
		// A pid file left by a vigil that crashed names no one.
		return lockedErr{fmt.Sprintf("store %s is in use by another process (close it, or open a copy with --read-only)", dir)}
	}
	what := fmt.Sprintf("pid %d", pid)
	if len(lines) > 1 && lines[1] != "" {
		what += ": " + cleanLine(lines[1])
	}
	if len(lines) > 2 && lines[2] != "" {
		what += ", since " + cleanLine(lines[2])
	}
	return lockedErr{fmt.Sprintf("store %s is in use by another vigil (%s)", dir, what)}
}

// alive reports whether a process with the pid exists.
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// cleanLine keeps a pid-file line printable.
func cleanLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// badgerLogger routes Badger's messages to a slog.Logger (nil: nowhere), so
// Badger never writes to the terminal the console draws on.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	if b.l != nil {
		b.l.Error(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
	}
}

func (b badgerLogger) Warningf(f string, a ...any) {
	if b.l != nil {
		b.l.Warn(strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
	}
}

func (b badgerLogger) Infof(string, ...any)  {}
func (b badgerLogger) Debugf(string, ...any) {}
