package db

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Stage is a private copy of a store that a long write (vigil import)
// works on; Commit swaps it into place in one step, so a process killed
// at any moment leaves either the old store or the new one, never a mix.
// While a stage exists the original directory is locked exactly as an
// open store is, so no other vigil writes to it meanwhile.
type Stage struct {
	Dir   string // the store directory
	Path  string // the copy to open and write
	lock  *os.File
	fresh bool // the store did not exist: Commit renames instead of swapping
}

// stageMarker separates a store directory's name from its stage suffix.
const stageMarker = ".stage-"

// NewStage copies the store in dir (closed: no process may hold it) into
// a sibling directory named for this process. Immutable table files are
// hard-linked, the rest copied. Stages left by processes that died are
// removed first.
func NewStage(dir string) (*Stage, error) {
	dir = filepath.Clean(dir)
	sweepStages(dir)
	s := &Stage{Dir: dir, Path: dir + stageMarker + strconv.Itoa(os.Getpid())}
	if err := os.RemoveAll(s.Path); err != nil {
		return nil, fmt.Errorf("stage store %s: %w", dir, err)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		s.fresh = true
		if err := os.MkdirAll(filepath.Dir(dir), 0o700); err != nil {
			return nil, fmt.Errorf("stage store %s: %w", dir, err)
		}
		return s, nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("stage store %s: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, lockedError(dir)
	}
	s.lock = f
	if err := copyStore(dir, s.Path); err != nil {
		s.Abort()
		return nil, fmt.Errorf("stage store %s: %w", dir, err)
	}
	return s, nil
}

// copyStore copies the regular files of src into a new directory dst.
func copyStore(src, dst string) error {
	if err := os.Mkdir(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == pidFile {
			continue
		}
		from, to := filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())
		if strings.HasSuffix(e.Name(), ".sst") {
			if err := os.Link(from, to); err == nil {
				continue
			}
		}
		if err := copyFile(from, to); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Commit syncs the stage and puts it in place of the store (the caller
// closed the store it opened on Path). The old store is then removed.
func (s *Stage) Commit() error {
	if err := syncDir(s.Path); err != nil {
		return fmt.Errorf("commit import into %s: %w", s.Dir, err)
	}
	if s.fresh {
		if err := os.Rename(s.Path, s.Dir); err != nil {
			return fmt.Errorf("commit import into %s: %w", s.Dir, err)
		}
		return syncDir(filepath.Dir(s.Dir))
	}
	if err := exchange(s.Path, s.Dir); err != nil {
		return fmt.Errorf("commit import into %s: %w", s.Dir, err)
	}
	if err := syncDir(filepath.Dir(s.Dir)); err != nil {
		return fmt.Errorf("commit import into %s: %w", s.Dir, err)
	}
	return s.Abort() // s.Path now holds the old store
}

// Abort removes the stage and releases the store.
func (s *Stage) Abort() error {
	err := os.RemoveAll(s.Path)
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
	if err != nil {
		return fmt.Errorf("remove staged copy %s: %w", s.Path, err)
	}
	return nil
}

// syncDir flushes a directory's files and entries to disk.
func syncDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, e.Name()), os.O_RDONLY, 0)
		if err != nil {
			continue
		}
		_ = f.Sync()
		f.Close()
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// sweepStages removes stages of dir whose process is gone (killed during
// an import: before its swap they are unfinished copies, after it the old
// store).
func sweepStages(dir string) {
	matches, _ := filepath.Glob(dir + stageMarker + "*")
	for _, m := range matches {
		pid, err := strconv.Atoi(strings.TrimPrefix(m, dir+stageMarker))
		if err != nil || pid <= 0 || (alive(pid) && pid != os.Getpid()) {
			continue
		}
		_ = os.RemoveAll(m)
	}
}
