package db

import (
	"fmt"
	"os"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// openBadger opens Badger, turning a panic on this goroutine (Badger
// asserts on what it reads) into an error. CheckDir has already looked at
// the files whose damage would panic on Badger's own goroutines, where
// nothing can recover it.
func openBadger(bo badger.Options) (bdb *badger.DB, err error) {
	defer func() {
		if r := recover(); r != nil {
			bdb, err = nil, fmt.Errorf("%w: %s: the storage engine failed reading it (%v). Copy the directory "+
				"away; `vigil store check --db %s` tells more, and docs/STORE.md says how to recover",
				ErrDamaged, bo.Dir, r, bo.Dir)
		}
	}()
	return badger.Open(bo)
}

// hasDataFiles reports whether dir holds tables or value logs.
func hasDataFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sst") || strings.HasSuffix(e.Name(), ".vlog") {
			return true
		}
	}
	return false
}
