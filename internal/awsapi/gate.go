package awsapi

import (
	"context"
	"sync"
)

// gate is a counting semaphore whose limit can change while requests wait:
// lowering it lets no new request in until enough in-flight ones finish;
// raising it lets waiters in at once. Waiters are served first come, first
// served, so a busy unit cannot starve another.
type gate struct {
	mu       sync.Mutex
	limit    int
	inflight int
	waiters  []chan struct{}
}

func newGate(limit int) *gate { return &gate{limit: max(limit, 1)} }

// acquire waits for a slot, or returns ctx's error without one.
func (g *gate) acquire(ctx context.Context) error {
	g.mu.Lock()
	if g.inflight < g.limit && len(g.waiters) == 0 {
		g.inflight++
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	g.waiters = append(g.waiters, ch)
	g.mu.Unlock()
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		for i, w := range g.waiters {
			if w == ch {
				g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
				g.mu.Unlock()
				return ctx.Err()
			}
		}
		g.mu.Unlock()
		// Granted while we gave up: hand the slot back.
		g.release()
		return ctx.Err()
	}
}

// release frees a slot and lets the next waiters in.
func (g *gate) release() {
	g.mu.Lock()
	g.inflight--
	g.grantLocked()
	g.mu.Unlock()
}

// setLimit changes the limit (at least 1).
func (g *gate) setLimit(n int) {
	g.mu.Lock()
	g.limit = max(n, 1)
	g.grantLocked()
	g.mu.Unlock()
}

// state returns the limit and the slots in use.
func (g *gate) state() (limit, inflight int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit, g.inflight
}

func (g *gate) grantLocked() {
	for g.inflight < g.limit && len(g.waiters) > 0 {
		ch := g.waiters[0]
		g.waiters[0] = nil
		g.waiters = g.waiters[1:]
		g.inflight++
		close(ch)
	}
}
