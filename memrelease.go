package main

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/db"
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
// After every burst it also drops the backend's caches that no page needs
// at rest (cycle.Backend.DropViolationCache: 126 MiB at 1M, measured) and
// has the store's mapped file pages reclaimed
// (files, when set: db.Store.ReleaseMappedPages): at 1M assets the loads
// left 1.4 GiB of them in the resident set. That costs a read of
// /proc/self/maps and one system call per file, so it is not gated.
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
	r := &memoryReleaser{delay: releaseDelay, worth: heapWorthReleasing, release: debug.FreeOSMemory, caches: drop}
	if st != nil {
		r.files = func() {
			if fileKB, ok := residentFileKB(); ok && fileKB < fileReleaseKB {
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
// pages: a release evicts them from the page cache too, so the next load
// reads them from disk again (1M summaries: 2.5 s before a release, 3.4-3.8
// s after, measured). Under it, as at 100k assets, loads stay warm.
const fileReleaseKB = 256 << 10

// residentFileKB reads RssFile from /proc/self/status; false when there is
// no such file or line (not Linux).
func residentFileKB() (int, bool) {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "RssFile:" {
			kb, err := strconv.Atoi(f[1])
			return kb, err == nil
		}
	}
	return 0, false
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
