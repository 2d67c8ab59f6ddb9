package scanner

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestParallelBoundsCallsAndReturnsTheFirstError(t *testing.T) {
	var running, peak, done atomic.Int32
	err := parallel(context.Background(), 12, 3, func(ctx context.Context, i int) error {
		n := running.Add(1)
		defer running.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(5 * time.Millisecond)
		done.Add(1)
		return nil
	})
	if err != nil || done.Load() != 12 {
		t.Fatalf("err %v, %d calls done, want nil and 12", err, done.Load())
	}
	if p := peak.Load(); p > 3 {
		t.Errorf("peak %d calls at once, want at most 3", p)
	}

	boom := errors.New("boom")
	var started atomic.Int32
	err = parallel(context.Background(), 100, 2, func(ctx context.Context, i int) error {
		started.Add(1)
		if i == 1 {
			return boom
		}
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
			t.Error("a sibling call was not cancelled by the error")
		}
		return ctx.Err()
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if n := started.Load(); n > 4 {
		t.Errorf("%d calls started after the error, want the rest skipped", n)
	}
}
