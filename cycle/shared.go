package cycle

import (
	"fmt"
	"sync"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/tui/omni"
)

// sharedReads is what every session of a cycle reads alike, loaded once per
// generation and shared (never copied per session): every summary sorted by
// ID, and the search index of each group for users not confined to groups.
// A new generation replaces them whole; a session holding the old ones
// keeps a consistent view until it reloads.
type sharedReads struct {
	buildMu sync.Mutex // one index build at a time
	mu      sync.Mutex
	gen     uint64
	ver     uint64 // the store's version before sums were read
	sums    []asset.Summary
	idx     map[string]*omni.Index
}

// allSummaries returns every summary sorted by ID for the current
// generation, loading them once for all sessions, with the store version
// they were read at. The slice is shared: callers must not modify it.
func (c *Cycle) allSummaries() ([]asset.Summary, uint64, uint64, error) {
	sh := &c.shared
	sh.mu.Lock()
	defer sh.mu.Unlock()
	gen := c.Generation()
	if sh.sums != nil && sh.gen == gen {
		return sh.sums, gen, sh.ver, nil
	}
	ver := c.Store.DataVersion()
	s, err := c.Store.AllSummaries()
	if err != nil {
		return nil, 0, 0, fmt.Errorf("load assets: %w", err)
	}
	sh.sums, sh.gen, sh.ver, sh.idx = sortByID(s), gen, ver, nil
	return sh.sums, gen, ver, nil
}

// sharedIndex returns the group's search index of the current generation,
// building it with build once for every unconfined session. Builds run one
// at a time outside the read lock (build reads summaries itself); a
// session that waited for another's build finds it cached.
func (c *Cycle) sharedIndex(group string, build func() (*omni.Index, error)) (*omni.Index, error) {
	sh := &c.shared
	sh.buildMu.Lock()
	defer sh.buildMu.Unlock()
	if _, _, _, err := c.allSummaries(); err != nil { // moves the shared reads to this generation
		return nil, err
	}
	sh.mu.Lock()
	ix, ok := sh.idx[group]
	gen := sh.gen
	sh.mu.Unlock()
	if ok {
		return ix, nil
	}
	ix, err := build()
	if err != nil {
		return nil, err
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.gen == gen {
		if sh.idx == nil {
			sh.idx = map[string]*omni.Index{}
		}
		sh.idx[group] = ix
	}
	return ix, nil
}

// SearchIndex returns the search index of a group: shared by every session
// of a user not confined to groups (built once per generation by build),
// and built anew by build for a confined one.
func (b *Backend) SearchIndex(group string, build func() (*omni.Index, error)) (*omni.Index, error) {
	if b.actor.Scoped() {
		return build()
	}
	return b.C.sharedIndex(group, build)
}

// Generation changes whenever assets, violations, exceptions, groups or
// policy settings change: a console polls it to refresh when another
// session or the schedule changed something.
func (b *Backend) Generation() uint64 { return b.C.Generation() }

// bump tells every session that what they show changed.
func (c *Cycle) bump() { c.gen.Add(1) }
