package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// SchemaVersion is the newest store layout this build understands. Schema
// 2 keeps an asset in two entries (summary; ID record with the document)
// where schema 1 had three; Open upgrades a schema-1 store in place.
const SchemaVersion = 2

// ErrReadOnly is returned by every write to a store opened read-only.
var ErrReadOnly = errors.New("store opened read-only")

// valueThreshold keeps summaries, index entries and small records in the
// LSM tree (fast scans) and moves full documents to the value log (fast
// ingest: the LSM tree stays small and compactions cheap).
const valueThreshold = 512

// valueLogFileSize caps a value log file (Badger's default is 1 GiB). Every
// read-write open reads the newest file through to check its end, so after
// 1M documents were written (~800 MB in one file) the next open read it all:
// 1.3 s and 820 MiB of file pages in the process's resident set, measured.
// With 128 MiB files that open takes 46 ms and maps 66 MiB; value log GC also
// has smaller files to rewrite.
const valueLogFileSize = 128 << 20

// baseLevelSize is the most the LSM level that level 0 compacts into may
// hold (see Open).
const baseLevelSize = 256 << 20

// storeState is what an open Store holds besides its directory.
type storeState struct {
	bdb      *badger.DB
	readOnly bool
	auditSeq atomic.Uint64
	permMu   sync.Mutex // serialises permission sweeps
	permAt   time.Time  // when the last sweep ran (guarded by permMu)
	evalMu   sync.Mutex // serialises read-modify-write of evaluation mark buckets
	closed   atomic.Bool
}

// Open opens (creating if needed) the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	bo := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{l: opts.Logger}).
		WithNumVersionsToKeep(1).
		WithCompression(options.None).
		WithDetectConflicts(false).
		WithMetricsEnabled(false).
		WithNumCompactors(2).
		WithBlockCacheSize(64 << 20).
		WithIndexCacheSize(32 << 20).
		WithReadOnly(opts.ReadOnly)
	if opts.memTableSize > 0 {
		bo = bo.WithMemTableSize(opts.memTableSize)
	}
	if opts.InMemory {
		// No value log in memory: every value stays in the LSM tree.
		dir = ""
		bo = bo.WithInMemory(true).WithDir("").WithValueDir("")
	} else {
		// A bulk ingest outruns compaction. Level 0 is compacted at close,
		// and the level it goes to may hold 256 MiB (Badger's default is
		// 10 MiB, and a tenth of the last level): otherwise the next Open
		// merges the level-0 tables on every summary load and compacts an
		// overfull level while the console starts (LoadSummaries1M took
		// twice the time).
		bo = bo.WithValueThreshold(valueThreshold).WithValueLogFileSize(valueLogFileSize).
			WithCompactL0OnClose(true).WithBaseLevelSize(baseLevelSize)
		if dir == "" {
			return nil, errors.New("open store: no directory given")
		}
		if !opts.ReadOnly {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("create store %s: %w", dir, err)
			}
		} else if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err != nil && !hasDataFiles(dir) {
			return nil, fmt.Errorf("open store %s read-only: no vigil store there: %w", dir, err)
		}
		chk, err := CheckDir(dir)
		if err != nil {
			return nil, err
		}
		if err := chk.Err(); err != nil {
			return nil, err
		}
	}
	bdb, err := openBadger(bo)
	if err != nil {
		if isLockError(err) {
			return nil, lockedError(dir)
		}
		if opts.ReadOnly && strings.Contains(err.Error(), "truncate required") {
			return nil, fmt.Errorf("store %s was not closed cleanly (copied while vigil was running, or vigil "+
				"stopped abruptly) and a read-only open cannot recover it: open it once without --read-only, "+
				"or copy it from a stopped vigil", dir)
		}
		return nil, fmt.Errorf("open store %s: %w", dir, err)
	}
	s := &Store{dir: dir, st: &storeState{bdb: bdb, readOnly: opts.ReadOnly}}
	// Audit keys end in a sequence number; starting it at the clock keeps
	// events appended by different runs at the same instant apart.
	s.st.auditSeq.Store(uint64(time.Now().UnixNano()))
	if err := s.setUp(opts); err != nil {
		_ = bdb.Close()
		if !opts.InMemory && !opts.ReadOnly {
			_ = os.Remove(pidPath(dir))
		}
		return nil, err
	}
	return s, nil
}

// setUp checks the schema, claims the directory and repairs what a crash
// left behind.
func (s *Store) setUp(opts Options) error {
	if err := s.checkSchema(); err != nil {
		return err
	}
	if opts.ReadOnly {
		return nil
	}
	if err := s.ensureLiveIndex(); err != nil {
		return fmt.Errorf("store %s: %w", s.dir, err)
	}
	if !opts.InMemory {
		if err := writePIDFile(s.dir); err != nil {
			return err
		}
		if err := os.Chmod(s.dir, 0o700); err != nil {
			return fmt.Errorf("secure store %s: %w", s.dir, err)
		}
		if err := s.securePerms(); err != nil {
			return err
		}
	}
	return s.abortRunningScans()
}

// checkSchema refuses a store written by a newer vigil, upgrades one of
// schema 1 and stamps a new one.
func (s *Store) checkSchema() error {
	var have int
	err := s.st.bdb.View(func(txn *badger.Txn) error {
		it, err := txn.Get([]byte(keySchema))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return it.Value(func(v []byte) error {
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("schema version %q: %w", v, errCorrupt)
			}
			have = n
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("store %s: read schema: %w", s.dir, err)
	}
	if have > SchemaVersion {
		return fmt.Errorf("store %s has schema v%d; this vigil understands up to v%d — upgrade vigil",
			s.dir, have, SchemaVersion)
	}
	if have == SchemaVersion {
		return nil
	}
	if have == 1 {
		if s.st.readOnly {
			return fmt.Errorf("store %s has schema v1, from an older vigil, and a read-only open cannot "+
				"upgrade it to v%d: open it once without --read-only", s.dir, SchemaVersion)
		}
		if err := s.upgradeV1(); err != nil {
			return fmt.Errorf("store %s: %w", s.dir, err)
		}
	}
	if s.st.readOnly {
		return nil
	}
	err = s.st.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set([]byte(keySchema), []byte(strconv.Itoa(SchemaVersion)))
	})
	if err != nil {
		return fmt.Errorf("store %s: write schema: %w", s.dir, err)
	}
	return nil
}

// Close flushes and closes the store.
func (s *Store) Close() error {
	if s.shared {
		return nil
	}
	if !s.st.closed.CompareAndSwap(false, true) {
		return nil
	}
	if s.dir != "" && !s.st.readOnly {
		if err := s.roomToClose(); err != nil {
			// Badger is left open: its flush would fault on the full disk.
			// The process exits soon after and the kernel releases the
			// directory lock; the write-ahead log keeps every write.
			return err
		}
	}
	err := s.st.bdb.Close()
	if s.dir == "" || s.st.readOnly {
		if err != nil {
			return fmt.Errorf("close store: %w", err)
		}
		return nil
	}
	perr := s.securePerms()
	rerr := os.Remove(pidPath(s.dir))
	if errors.Is(rerr, os.ErrNotExist) {
		rerr = nil
	}
	if err = errors.Join(err, perr, rerr); err != nil {
		return fmt.Errorf("close store %s: %w", s.dir, err)
	}
	return nil
}

// writable returns ErrReadOnly for a read-only store.
func (s *Store) writable() error {
	if s.st.readOnly {
		return ErrReadOnly
	}
	return nil
}

// sweepEvery spaces the permission sweeps that follow writes: a cycle
// stores thousands of small units, and the directory itself is 0700, so a
// file Badger just created is unreachable by others until the next sweep.
const sweepEvery = time.Second

// securePermsSoon sweeps unless a sweep ran within sweepEvery.
func (s *Store) securePermsSoon() error {
	s.st.permMu.Lock()
	recent := time.Since(s.st.permAt) < sweepEvery
	s.st.permMu.Unlock()
	if recent {
		return nil
	}
	return s.securePerms()
}

// securePerms makes every file in the store directory 0600. Badger creates
// some files 0666 (less the umask); the directory itself is 0700, so they are
// never reachable by others in between sweeps.
func (s *Store) securePerms() error {
	if s.dir == "" || s.st.readOnly {
		return nil
	}
	s.st.permMu.Lock()
	defer s.st.permMu.Unlock()
	s.st.permAt = time.Now()
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return fmt.Errorf("secure store %s: %w", s.dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed by a compaction meanwhile
		}
		if info.Mode().Perm() == 0o600 {
			continue
		}
		if err := os.Chmod(filepath.Join(s.dir, e.Name()), 0o600); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("secure store file %s: %w", e.Name(), err)
		}
	}
	return nil
}

func isLockError(err error) bool {
	return strings.Contains(err.Error(), "Cannot acquire directory lock")
}
