package db

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// closeMargin is room kept beyond what closing is estimated to write: the
// MANIFEST, the discard stats and the estimate's own slack.
const closeMargin = 8 << 20

// closeNeeds estimates what closing writes: the write-ahead logs flushed to
// a table (their allocated size: Badger creates them sparse) and level 0
// compacted into the next level (rewritten in full, the worst case).
func (s *Store) closeNeeds() int64 {
	var need int64 = closeMargin
	if entries, err := os.ReadDir(s.dir); err == nil {
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".mem") {
				continue
			}
			var st syscall.Stat_t
			if syscall.Stat(filepath.Join(s.dir, e.Name()), &st) == nil {
				need += st.Blocks * 512
			}
		}
	}
	base := -1
	for _, t := range s.st.bdb.Tables() {
		switch {
		case t.Level == 0:
			need += int64(t.OnDiskSize)
		case base < 0 || t.Level < base:
			base = t.Level
		}
	}
	for _, t := range s.st.bdb.Tables() {
		if t.Level == base {
			need += int64(t.OnDiskSize)
		}
	}
	return need
}

// roomToClose returns an error when the store's filesystem has less free
// space than closing needs. Badger writes the tables it flushes at close
// through memory maps of sparse files: on a full disk that is a SIGBUS no
// Go code can recover, so vigil checks first.
func (s *Store) roomToClose() error {
	var fs syscall.Statfs_t
	if err := syscall.Statfs(s.dir, &fs); err != nil {
		return nil // cannot tell: let Badger try
	}
	free := int64(fs.Bavail) * int64(fs.Bsize)
	need := s.closeNeeds()
	if free >= need {
		return nil
	}
	return fmt.Errorf("close store %s: the disk is full (%d MiB free; closing needs about %d MiB): what was "+
		"written is kept in the store's write-ahead log; free some space, then run any vigil command on the "+
		"store (it recovers on open)", s.dir, free>>20, (need+(1<<20)-1)>>20)
}
