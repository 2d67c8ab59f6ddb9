package main

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"testing"
	"time"
)

// Loads in a burst share one release; a load after it schedules another.
func TestMemoryReleaserOncePerBurst(t *testing.T) {
	var n atomic.Int32
	done := make(chan struct{}, 4)
	r := &memoryReleaser{delay: 50 * time.Millisecond, worth: func() bool { return true },
		release: func() { n.Add(1); done <- struct{}{} }}
	for range 5 {
		r.afterLoad()
	}
	<-done
	time.Sleep(100 * time.Millisecond) // a second release would have come by now
	if got := n.Load(); got != 1 {
		t.Fatalf("5 loads in a burst gave %d releases, want 1", got)
	}
	r.afterLoad()
	<-done
	if got := n.Load(); got != 2 {
		t.Fatalf("a later load gave %d releases in all, want 2", got)
	}
}

// A heap that keeps far more than is live is worth a release; right after
// one it is not.
func TestHeapWorthReleasing(t *testing.T) {
	if n := allocate(4096); n != 4096<<16 {
		t.Fatalf("allocated %d bytes", n)
	}
	runtime.GC()
	if !heapWorthReleasing() {
		t.Error("256 MiB freed and kept: not worth releasing")
	}
	debug.FreeOSMemory()
	if heapWorthReleasing() {
		t.Error("right after FreeOSMemory: still worth releasing")
	}
}

// allocate allocates n blocks of 64 KiB and drops them.
func allocate(n int) int {
	blocks := make([][]byte, 0, n)
	for range n {
		blocks = append(blocks, make([]byte, 64<<10))
	}
	total := 0
	for _, b := range blocks {
		total += len(b)
	}
	return total
}

// The backend's caches are dropped and the store's file pages released
// after every burst, even when the heap is not worth a GC.
func TestMemoryReleaserReleasesFilesEveryBurst(t *testing.T) {
	var heap, files, caches atomic.Int32
	done := make(chan struct{}, 4)
	r := &memoryReleaser{delay: 20 * time.Millisecond, worth: func() bool { return false },
		release: func() { heap.Add(1) }, files: func() { files.Add(1); done <- struct{}{} },
		caches: func() { caches.Add(1) }}
	r.afterLoad()
	r.afterLoad()
	<-done
	r.afterLoad()
	<-done
	if heap.Load() != 0 || files.Load() != 2 || caches.Load() != 2 {
		t.Fatalf("two bursts, heap not worth it: %d heap, %d file and %d cache releases, want 0, 2 and 2",
			heap.Load(), files.Load(), caches.Load())
	}
}

// A console this small (a test process) keeps its caches: only a big one
// drops them.
func TestSmallConsoleKeepsCaches(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmRSS is Linux's")
	}
	dropped := make(chan struct{}, 1)
	r := newMemoryReleaser(nil, func() { dropped <- struct{}{} }, t.Logf)
	r.delay = 10 * time.Millisecond
	r.worth = func() bool { return false }
	if bigConsole() {
		t.Skipf("this test process is already over %d KiB resident", bigConsoleKB)
	}
	r.afterLoad()
	select {
	case <-dropped:
		t.Fatal("a small console dropped its caches")
	case <-time.After(200 * time.Millisecond):
	}
}
