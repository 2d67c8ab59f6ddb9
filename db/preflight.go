package db

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/badger/v4/table"
	"github.com/dgraph-io/badger/v4/y"
	"google.golang.org/protobuf/proto"
)

// ErrDamaged marks a store directory that Open refuses because opening it
// would lose data (Badger starts afresh without a MANIFEST and deletes every
// table the MANIFEST does not name) or crash (a truncated table).
var ErrDamaged = errors.New("store damaged")

// manifestName is Badger's table catalogue in a store directory.
const manifestName = "MANIFEST"

// Manifest states reported by CheckDir.
const (
	ManifestOK      = "ok"
	ManifestMissing = "missing"
	ManifestBroken  = "unreadable"
	ManifestTorn    = "ends in a partial entry" // a crash mid-append, or a truncated copy
)

// TableFile is one table (*.sst) found in a store directory.
type TableFile struct {
	Name       string `json:"name"`
	Size       int64  `json:"size"`
	Referenced bool   `json:"referenced"`        // named by the MANIFEST
	Problem    string `json:"problem,omitempty"` // why it cannot be read ("" when it can)
}

// DirCheck is what a look at a store directory found without opening it.
type DirCheck struct {
	Dir             string      `json:"dir"`
	Exists          bool        `json:"exists"`
	Manifest        string      `json:"manifest"` // one of the Manifest* states
	ManifestProblem string      `json:"manifest_problem,omitempty"`
	ManifestSize    int64       `json:"manifest_size"`
	ManifestValid   int64       `json:"manifest_valid_bytes"` // length of the entries that replay
	Tables          []TableFile `json:"tables"`
	Missing         []string    `json:"missing_tables,omitempty"` // named by the MANIFEST, absent
	ValueLogs       []string    `json:"value_logs"`
	// Problems say, one sentence each, why Open would refuse the directory.
	Problems []string `json:"problems,omitempty"`
}

// CheckDir inspects a store directory without opening it or changing
// anything: the MANIFEST, the tables it names (each table's footer and
// index checksum, which Badger reads at open and panics on when the file is
// truncated) and the files it does not name (Badger deletes those at open).
// A directory that does not exist yet, or holds no data files, is fine.
func CheckDir(dir string) (*DirCheck, error) {
	c := &DirCheck{Dir: dir, Manifest: ManifestMissing, Tables: []TableFile{}, ValueLogs: []string{}}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read store directory %s: %w", dir, err)
	}
	c.Exists = true
	tables := map[uint64]int{}
	for _, e := range entries {
		name := e.Name()
		switch {
		case strings.HasSuffix(name, ".sst"):
			info, err := e.Info()
			if err != nil {
				continue
			}
			if id, ok := table.ParseFileID(name); ok {
				tables[id] = len(c.Tables)
			}
			c.Tables = append(c.Tables, TableFile{Name: name, Size: info.Size()})
		case strings.HasSuffix(name, ".vlog"):
			c.ValueLogs = append(c.ValueLogs, name)
		}
	}
	mf, haveManifest := c.readManifest()
	dataFiles := len(c.Tables) + len(c.ValueLogs)
	if !haveManifest {
		if c.Manifest == ManifestMissing && dataFiles == 0 {
			return c, nil // a new store
		}
		c.Problems = append(c.Problems, fmt.Sprintf("the MANIFEST is %s%s but the directory holds %d tables and %d value logs: "+
			"opening it would start an empty store and delete them", c.Manifest, parenthesised(c.ManifestProblem),
			len(c.Tables), len(c.ValueLogs)))
		return c, nil
	}
	var maxRef uint64
	for id := range mf.Tables {
		maxRef = max(maxRef, id)
		i, ok := tables[id]
		if !ok {
			c.Missing = append(c.Missing, filepath.Base(table.NewFilename(id, dir)))
			continue
		}
		c.Tables[i].Referenced = true
		c.Tables[i].Problem = checkTable(filepath.Join(dir, c.Tables[i].Name))
	}
	sort.Strings(c.Missing)
	if len(c.Missing) > 0 {
		c.Problems = append(c.Problems, fmt.Sprintf("the MANIFEST names %d tables that are not there (%s)",
			len(c.Missing), strings.Join(firstN(c.Missing, 5), ", ")))
	}
	for _, t := range c.Tables {
		if t.Problem != "" {
			c.Problems = append(c.Problems, fmt.Sprintf("table %s is damaged: %s", t.Name, t.Problem))
		}
	}
	// Tables the MANIFEST does not name are what a kill -9 during a flush
	// or a compaction leaves: written, but the MANIFEST entry adding them
	// never was; their contents are still in the named tables or the
	// write-ahead log, and Badger removes them. Such tables are newer than
	// every table the MANIFEST ever created, and it ends on a whole entry.
	// Anything else means the MANIFEST lost entries, and Badger would
	// delete live data.
	// A table the MANIFEST deleted is what a kill -9 leaves between a
	// compaction's MANIFEST entry and the removal of its inputs: obsolete,
	// and Badger removes it too.
	deleted, maxCreated := manifestHistory(filepath.Join(c.Dir, manifestName), c.ManifestValid)
	maxRef = max(maxRef, maxCreated)
	var stray []string
	for id, i := range tables {
		if _, ok := mf.Tables[id]; ok || deleted[id] {
			continue
		}
		if id < maxRef || c.Manifest != ManifestOK {
			stray = append(stray, c.Tables[i].Name)
		}
	}
	sort.Strings(stray)
	if len(stray) > 0 {
		c.Problems = append(c.Problems, fmt.Sprintf("the MANIFEST%s does not name %d tables (%s): opening the store "+
			"would delete them", describeManifest(c), len(stray), strings.Join(firstN(stray, 5), ", ")))
	}
	return c, nil
}

// readManifest replays the MANIFEST the way Badger does; false when there
// is none or it does not replay.
func (c *DirCheck) readManifest() (badger.Manifest, bool) {
	f, err := os.Open(filepath.Join(c.Dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return badger.Manifest{}, false
	}
	if err != nil {
		c.Manifest, c.ManifestProblem = ManifestBroken, err.Error()
		return badger.Manifest{}, false
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil {
		c.ManifestSize = info.Size()
	}
	// Badger's own replay (read only: it never truncates here). Its
	// warnings go nowhere.
	mf, valid, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions("").WithLogger(nil))
	if err != nil {
		c.Manifest, c.ManifestProblem = ManifestBroken, err.Error()
		if c.ManifestSize == 0 {
			c.ManifestProblem = "empty file"
		}
		return badger.Manifest{}, false
	}
	c.ManifestValid = valid
	c.Manifest = ManifestOK
	if valid < c.ManifestSize {
		c.Manifest = ManifestTorn
	}
	return mf, true
}

// manifestHistory replays the first valid bytes of a MANIFEST for what
// ReplayManifestFile does not keep: the tables it deleted, and the highest
// table ID it ever created. It returns what it read before any error.
func manifestHistory(path string, valid int64) (deleted map[uint64]bool, maxCreated uint64) {
	deleted = map[uint64]bool{}
	raw, err := os.ReadFile(path)
	if err != nil || int64(len(raw)) < valid || valid < 8 {
		return deleted, 0
	}
	raw = raw[8:valid] // after the magic
	for len(raw) >= 8 {
		n := int(y.BytesToU32(raw[0:4]))
		if n > len(raw)-8 {
			break
		}
		var cs pb.ManifestChangeSet
		if err := proto.Unmarshal(raw[8:8+n], &cs); err != nil {
			break
		}
		for _, ch := range cs.Changes {
			switch ch.Op {
			case pb.ManifestChange_CREATE:
				maxCreated = max(maxCreated, ch.Id)
				delete(deleted, ch.Id)
			case pb.ManifestChange_DELETE:
				deleted[ch.Id] = true
			}
		}
		raw = raw[8+n:]
	}
	return deleted, maxCreated
}

// checkTable reads a table's footer and verifies its index checksum, the
// way Badger's table open does but with every bound checked; "" when the
// table reads.
func checkTable(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	size := info.Size()
	pos := size
	read := func(n int64) ([]byte, error) {
		if n < 0 || n > pos {
			return nil, io.ErrUnexpectedEOF
		}
		pos -= n
		buf := make([]byte, n)
		if _, err := f.ReadAt(buf, pos); err != nil {
			return nil, err
		}
		return buf, nil
	}
	truncated := fmt.Sprintf("truncated or overwritten (%d bytes; its footer does not parse)", size)
	b, err := read(4)
	if err != nil {
		return truncated
	}
	sumRaw, err := read(int64(y.BytesToU32(b)))
	if err != nil {
		return truncated
	}
	var sum pb.Checksum
	if err := proto.Unmarshal(sumRaw, &sum); err != nil {
		return truncated
	}
	if b, err = read(4); err != nil {
		return truncated
	}
	index, err := read(int64(y.BytesToU32(b)))
	if err != nil {
		return truncated
	}
	if err := y.VerifyChecksum(index, &sum); err != nil {
		return "its index fails its checksum (the file is corrupt)"
	}
	return ""
}

// Err is the refusal Open returns for the directory, nil when it may open.
func (c *DirCheck) Err() error {
	if len(c.Problems) == 0 {
		return nil
	}
	return fmt.Errorf("%w: %s: %s. Nothing was changed. Copy the directory away before anything else "+
		"(cp -a %s %s.bak); `vigil store check --db %s` tells more, and docs/STORE.md says how to recover",
		ErrDamaged, c.Dir, strings.Join(c.Problems, "; "), c.Dir, c.Dir, c.Dir)
}

func describeManifest(c *DirCheck) string {
	if c.Manifest == ManifestTorn {
		return fmt.Sprintf(" (%s: %d of %d bytes replay)", c.Manifest, c.ManifestValid, c.ManifestSize)
	}
	return ""
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func firstN(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(append([]string(nil), xs[:n]...), fmt.Sprintf("and %d more", len(xs)-n))
}
