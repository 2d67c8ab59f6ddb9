package scanner

import (
	"context"
	"sync"
)

// detailConcurrency is how many resources a collector describes at once
// when its session names no fan-out (a session built outside the runner,
// such as a fix's verification). Within a scan the request budget, not this
// number, bounds the calls in flight.
const detailConcurrency = 4

// parallel calls fn for every i in [0, n), at most limit at a time. It
// returns the first error; the context fn gets is cancelled on that error so
// the other calls stop early.
func parallel(ctx context.Context, n, limit int, fn func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, max(limit, 1))
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for i := range n {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := fn(ctx, i); err != nil {
				once.Do(func() { first = err; cancel(err) })
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}
