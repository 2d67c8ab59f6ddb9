package scanner

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/asset"
)

// Shard picks the units of one scanner among N: unit u belongs to shard
// Index (0-based) of Count when a stable hash of its account, region and
// type says so, so N processes started with indexes 0..N-1 scan every unit
// exactly once. The zero Shard is the whole scan.
type Shard struct {
	Index, Count int
}

// Has reports whether u is in the shard.
func (s Shard) Has(u asset.UnitKey) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(u.Account + "\x00" + u.Region + "\x00" + u.Type))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// String is "I/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// ParseShard reads "I/N" (0 <= I < N).
func ParseShard(v string) (Shard, error) {
	i, n, ok := strings.Cut(v, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: write it as I/N, e.g. 0/4 (I counts from 0)", v)
	}
	return NewShard(i, n)
}

// NewShard checks an index and a count given apart (the index from
// JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX).
func NewShard(index, count string) (Shard, error) {
	i, err1 := strconv.Atoi(strings.TrimSpace(index))
	n, err2 := strconv.Atoi(strings.TrimSpace(count))
	if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
		return Shard{}, fmt.Errorf("shard %s of %s: the index must be a whole number from 0 to the count - 1", index, count)
	}
	return Shard{Index: i, Count: n}, nil
}
