package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/snapshot"
)

// openPrefix names the private stores of `vigil open`; the pid after it
// lets a later open remove those of processes that were killed.
const openPrefix = "vigil-open-"

func newOpenCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "open FILE",
		Short: "Browse a snapshot in the full console, read-only, without touching your store",
		Long: "Loads the snapshot into a private temporary store (removed on exit, and by the next\n" +
			"`vigil open` after a crash or kill) and opens the console on it read-only.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !e.isTTY(os.Stdout) || !e.isTTY(os.Stdin) {
				return &exitError{code: exitUsage, err: errors.New("vigil open needs a terminal; for scripts use `vigil diff` or `vigil import`")}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			return runOpen(ctx, e, args[0])
		},
	}
}

// runOpen restores the snapshot into a private store and runs the console
// on it read-only; the store is removed when the console ends.
func runOpen(ctx context.Context, e *env, path string) error {
	dir, err := privateStoreDir()
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := restoreSnapshot(path, dir); err != nil {
		return err
	}
	e.dbDir = filepath.Join(dir, "db")
	e.readOnly = true
	e.policies = append(e.policies, filepath.Join(dir, "policies"))
	return runConsole(ctx, e, false, false)
}

// restoreSnapshot verifies the file and loads it into a new store in dir.
func restoreSnapshot(path, dir string) error {
	f, err := snapshot.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := db.Open(filepath.Join(dir, "db"), db.Options{})
	if err != nil {
		return err
	}
	_, rerr := snapshot.Restore(f, st, filepath.Join(dir, "policies"))
	if cerr := st.Close(); rerr == nil && cerr != nil {
		rerr = fmt.Errorf("close private store: %w", cerr)
	}
	return rerr
}

// privateStoreDir makes a 0700 directory under $XDG_RUNTIME_DIR (else the
// system temp dir) named for this process, after removing those left by
// opens that were killed.
func privateStoreDir() (string, error) {
	base := os.Getenv("XDG_RUNTIME_DIR")
	if st, err := os.Stat(base); base == "" || err != nil || !st.IsDir() {
		base = os.TempDir()
	}
	sweepOpenDirs(base)
	dir, err := os.MkdirTemp(base, openPrefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return "", fmt.Errorf("private store for vigil open: %w (set XDG_RUNTIME_DIR or TMPDIR to a writable directory)", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("private store for vigil open: %w", err)
	}
	return dir, nil
}

// sweepOpenDirs removes private stores whose vigil is gone.
func sweepOpenDirs(base string) {
	entries, err := os.ReadDir(base)
	if err != nil {
		return
	}
	for _, en := range entries {
		name := en.Name()
		if !en.IsDir() || !strings.HasPrefix(name, openPrefix) {
			continue
		}
		pidStr, _, ok := strings.Cut(strings.TrimPrefix(name, openPrefix), "-")
		pid, err := strconv.Atoi(pidStr)
		if !ok || err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		if info, err := en.Info(); err != nil || !ownedByMe(info) {
			continue
		}
		_ = os.RemoveAll(filepath.Join(base, name))
	}
}

// processAlive reports whether a process with the pid exists.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ownedByMe reports whether this user owns the file.
func ownedByMe(info os.FileInfo) bool {
	st, ok := info.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
