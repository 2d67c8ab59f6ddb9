package scanner

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestDocsParallelRunsAllAndBoundsWorkers(t *testing.T) {
	var running, peak, done atomic.Int64
	err := docsParallel(context.Background(), 50, 4, func(ctx context.Context, i int) error {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		done.Add(1)
		running.Add(-1)
		return nil
	})
	if err != nil || done.Load() != 50 {
		t.Errorf("err %v, ran %d of 50", err, done.Load())
	}
	if peak.Load() > 4 {
		t.Errorf("%d ran at once, want at most 4", peak.Load())
	}
}

func TestDocsParallelStopsAtFirstError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int64
	err := docsParallel(context.Background(), 1000, 1, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 3 {
			return boom
		}
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if n := started.Load(); n > 10 {
		t.Errorf("%d items started after the error at item 3; want the rest skipped", n)
	}
}

func TestDocsParallelHonoursCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := docsParallel(ctx, 10, 2, func(ctx context.Context, i int) error { return ctx.Err() })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
