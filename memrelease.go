package main

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/internal/procstat"
)

// releaseDelay is how long the console waits after a load before handing
// freed heap pages back to the OS, so that the loads of one screen (the
// dashboard's several, the search index) cost one release.
const releaseDelay = 2 * time.Second

// memoryReleaser returns the console's freed heap to the OS once a burst of
// loads is over. Go's scavenger otherwise keeps freed pages up to about the
// next GC goal: at 1M assets the console held 2.0 GiB of anonymous memory
// after its first loads, 1.34 GiB after a release (BenchmarkConsoleMemory1M,
// docs/perf/tui.md). A release is a forced GC (about a CPU-second at 1M), so
// loads that come in a burst share one, and a release is skipped when the
// heap the process keeps is not much above what the last GC found live.
//
// After a burst it also drops, in a big console (bigConsoleKB), the
// backend's caches that no page needs at rest
// (cycle.Backend.DropViolationCache: 126 MiB at 1M, measured), and it has
// the store's mapped file pages reclaimed when filesWorthReleasing says so
// (files, when set: db.Store.ReleaseMappedPages): at 1M assets the loads
// left 1.4 GiB of them in the resident set.
type memoryReleaser struct {
	delay   time.Duration
	worth   func() bool // heapWorthReleasing; tests replace it
	release func()      // debug.FreeOSMemory; tests count calls
	files   func()      // the store's mapped pages; nil: none
	caches  func()      // drops caches no page needs at rest; nil: none
	mu      sync.Mutex
	pending bool
}

// newMemoryReleaser returns a releaser for a console on st whose backend's
// caches drop forgets (either nil: not released); failures to release file
// pages go to logf.
func newMemoryReleaser(st *db.Store, drop func(), logf func(string, ...any)) *memoryReleaser {
	r := &memoryReleaser{delay: releaseDelay, worth: heapWorthReleasing, release: debug.FreeOSMemory}
	if drop != nil {
		r.caches = func() {
			if bigConsole() {
				drop()
			}
		}
	}
	if st != nil {
		r.files = func() {
			if !filesWorthReleasing() {
				return
			}
			if _, err := st.ReleaseMappedPages(); err != nil {
				logf("memory: %v", err)
			}
		}
	}
	return r
}

// fileReleaseKB is how much file-backed memory (the binary's own pages
// included) the console keeps resident before it releases the store's
// pages, and bigConsoleKB the resident set past which it releases any
// beyond fileFloorKB (and drops the backend's caches). A release evicts the pages from the page cache too,
// so the next load reads them from disk again (1M summaries: 2.5 s before
// a release, 3.4-3.8 s after, measured); a console at 100k assets (about
// 200 MiB resident) keeps its loads warm, one at 1M keeps under 1 GiB.
const (
	fileReleaseKB = 256 << 10
	bigConsoleKB  = 640 << 10
	fileFloorKB   = 64 << 10
)

// bigConsole reports whether the process is past bigConsoleKB resident
// (true when that cannot be read): only then are caches dropped, whose
// reload costs the next page 0.7-1.7 s at 1M assets.
func bigConsole() bool {
	st, ok := procstat.KB("VmRSS")
	return !ok || st[0] >= bigConsoleKB
}

// filesWorthReleasing reports whether the store's file pages should be
// released (see fileReleaseKB); true when the figures cannot be read.
func filesWorthReleasing() bool {
	st, ok := procstat.KB("RssFile", "VmRSS")
	if !ok {
		return true
	}
	file, rss := st[0], st[1]
	return file >= fileReleaseKB || (rss >= bigConsoleKB && file >= fileFloorKB)
}

// heapWorthReleasing reports whether the heap pages the process keeps
// exceed what the last GC found live by over a quarter and 64 MiB.
func heapWorthReleasing() bool {
	s := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
	}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return true // metric unknown to this runtime: release anyway
		}
	}
	live := s[0].Value.Uint64()
	kept := s[1].Value.Uint64() + s[2].Value.Uint64() + s[3].Value.Uint64()
	return kept > live+live/4+64<<20
}

// afterLoad schedules a release unless one is already waiting; it returns
// at once (tui.Options.AfterLoad).
func (r *memoryReleaser) afterLoad() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending {
		return
	}
	r.pending = true
	time.AfterFunc(r.delay, func() {
		r.mu.Lock()
		r.pending = false
		r.mu.Unlock()
		if r.caches != nil {
			r.caches()
		}
		if r.worth() {
			r.release()
		}
		if r.files != nil {
			r.files()
		}
	})
}
