package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	badger "github.com/dgraph-io/badger/v4"
)

// LockState says whether a vigil holds a store directory open, without
// taking the lock for longer than the look.
type LockState struct {
	Held   bool   `json:"held"`
	Holder string `json:"holder,omitempty"` // from the pid file, when it names a live process
}

// InspectLock tries a shared lock on dir (what a read-only open takes) and
// releases it at once: a read-write vigil holds it exclusively.
func InspectLock(dir string) (LockState, error) {
	f, err := os.Open(dir)
	if err != nil {
		return LockState{}, fmt.Errorf("inspect lock of %s: %w", dir, err)
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB)
	if err == nil {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return LockState{}, nil
	}
	if !errors.Is(err, syscall.EWOULDBLOCK) {
		return LockState{}, fmt.Errorf("inspect lock of %s: %w", dir, err)
	}
	st := LockState{Held: true}
	if raw, err := os.ReadFile(pidPath(dir)); err == nil {
		lines := strings.SplitN(strings.TrimSpace(string(raw)), "\n", 3)
		if pid, err := strconv.Atoi(strings.TrimSpace(lines[0])); err == nil && pid > 0 && alive(pid) {
			st.Holder = "pid " + strconv.Itoa(pid)
			if len(lines) > 1 {
				st.Holder += ": " + cleanLine(lines[1])
			}
			if len(lines) > 2 {
				st.Holder += ", since " + cleanLine(lines[2])
			}
		}
	}
	return st, nil
}

// PermProblem is a store file or directory others could reach.
type PermProblem struct {
	Name string      `json:"name"`
	Mode os.FileMode `json:"mode"`
	Want os.FileMode `json:"want"`
}

// InspectPerms lists what in dir is not private: the directory should be
// 0700 and every file 0600 (Open and Close make them so).
func InspectPerms(dir string) ([]PermProblem, error) {
	var out []PermProblem
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("inspect permissions of %s: %w", dir, err)
	}
	if info.Mode().Perm() != 0o700 {
		out = append(out, PermProblem{Name: ".", Mode: info.Mode().Perm(), Want: 0o700})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("inspect permissions of %s: %w", dir, err)
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if fi.Mode().Perm() != 0o600 {
			out = append(out, PermProblem{Name: e.Name(), Mode: fi.Mode().Perm(), Want: 0o600})
		}
	}
	return out, nil
}

// Schema returns the schema version stamped in the store (0 when none).
func (s *Store) Schema() (int, error) {
	have := 0
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		return getValue(txn, []byte(keySchema), func(v []byte) error {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("schema version %q: %w", v, errCorrupt)
			}
			have = n
			return nil
		})
	})
	if errors.Is(err, ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read schema of %s: %w", s.dir, err)
	}
	return have, nil
}

// ManifestPath is the MANIFEST of a store directory.
func ManifestPath(dir string) string { return filepath.Join(dir, manifestName) }
