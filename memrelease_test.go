package main

import (
	"sync/atomic"
	"testing"
	"time"
)

// Loads in a burst share one release; a load after it schedules another.
func TestMemoryReleaserOncePerBurst(t *testing.T) {
	var n atomic.Int32
	done := make(chan struct{}, 4)
	r := &memoryReleaser{delay: 50 * time.Millisecond, release: func() { n.Add(1); done <- struct{}{} }}
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
