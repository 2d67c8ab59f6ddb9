package db

import (
	"hash/maphash"
	"sync"
	"sync/atomic"

	"github.com/vigil-sec/vigil/asset"
)

// maxInterned bounds how many distinct values one interner keeps; past it
// new values are copied as usual.
const maxInterned = 4096

// interner hands out one string for equal bytes, for one low-cardinality
// field (type, account, region, policy) of the records one reader decodes.
// It checks the last value first (a unit's summaries share their type and
// account), then scans a few values (a field with a handful, as regions and
// severities, needs no hashing), then a map once there are more. One
// interner serves one goroutine.
type interner struct {
	last string
	few  [8]string
	nfew int
	m    map[string]string // all values, once there are more than few holds
}

// str returns b as a string, the same string for equal bytes; "" for none.
func (in *interner) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if in.last == string(b) {
		return in.last
	}
	s, ok := in.find(b)
	if !ok {
		s = string(b)
		in.keep(s)
	}
	in.last = s
	return s
}

// find returns the kept string equal to b.
func (in *interner) find(b []byte) (string, bool) {
	if in.m != nil {
		s, ok := in.m[string(b)]
		return s, ok
	}
	for _, s := range in.few[:in.nfew] {
		if s == string(b) {
			return s, true
		}
	}
	return "", false
}

// keep adds s, a new value, while fewer than maxInterned are kept.
func (in *interner) keep(s string) {
	switch {
	case in.m == nil && in.nfew < len(in.few):
		in.few[in.nfew] = s
		in.nfew++
	case in.m == nil:
		in.m = make(map[string]string, 2*len(in.few))
		for _, f := range in.few {
			in.m[f] = f
		}
		in.m[s] = s
	case len(in.m) < maxInterned:
		in.m[s] = s
	}
}

// tagShards is how many locks a tag table spreads its sets over, so the
// workers of one load seldom wait for each other.
const tagShards = 32

// tagTable shares equal tag sets among the summaries of one load: at 1M
// demo assets 423k distinct sets stand for 1M (99 of 180 MB). The first
// summary with a set keeps it in its own string; later ones refer to that
// string. Safe for concurrent use; it lives as long as the load.
type tagTable struct {
	seed   maphash.Seed
	after  int64        // summaries the load decodes before it shares
	seen   atomic.Int64 // summaries decoded so far
	shards [tagShards]tagShard
}

// tagShard is one lock's part of a tag table, padded to its own cache
// line. Sets are found by their hash (rehashing 8-byte keys as the map
// grows is cheap, 180-byte ones were not); a set whose hash another set
// already has keeps its own string.
type tagShard struct {
	mu sync.Mutex
	m  map[uint64]asset.Tags // hash of the packed form -> the shared set
	_  [48]byte
}

// newTagTable returns a table that shares sets once after summaries were
// decoded (0: from the first).
func newTagTable(after int) *tagTable {
	return &tagTable{seed: maphash.MakeSeed(), after: int64(after)}
}

// ifActive returns t once the load has decoded enough summaries to share
// their tags, else nil.
func (t *tagTable) ifActive() *tagTable {
	if t.seen.Load() < t.after {
		return nil
	}
	return t
}

// decoded counts n more summaries decoded.
func (t *tagTable) decoded(n int) { t.seen.Add(int64(n)) }

// lookup returns the shard and hash of the set packed as b, and the shared
// set if the table has it.
func (t *tagTable) lookup(b []byte) (*tagShard, uint64, asset.Tags, bool) {
	h := maphash.Bytes(t.seed, b)
	sh := &t.shards[h%tagShards]
	sh.mu.Lock()
	tg, ok := sh.m[h]
	sh.mu.Unlock()
	return sh, h, tg, ok && tg.Packed() == string(b)
}

// add keeps tg under hash h and returns it, or returns the equal set
// another worker added first.
func (sh *tagShard) add(h uint64, tg asset.Tags) asset.Tags {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	old, ok := sh.m[h]
	switch {
	case ok && old == tg:
		return old
	case ok: // another set with this hash: tg keeps its own string
		return tg
	}
	if sh.m == nil {
		sh.m = map[uint64]asset.Tags{}
	}
	sh.m[h] = tg
	return tg
}
