package db

import (
	"errors"
	"fmt"
	"sync"

	badger "github.com/dgraph-io/badger/v4"
)

// pipeline lets the writers of one PutAssets call commit without waiting.
//
// A new Badger transaction waits (in its read timestamp) until every commit
// already sent has been applied, so a writer that commits and begins afresh
// idles while Badger's single write goroutine applies its work. The
// pipeline creates the call's transactions up front, before any of its
// commits is sent, and commits them in the background (CommitWith): the
// writers keep encoding while Badger writes, and the call waits for every
// commit at the end.
//
// The price is that a pipelined transaction does not see what earlier
// transactions of the same call wrote. PutAssets uses the pipeline only
// when no ID repeats within the call, so no transaction reads a key an
// earlier one of the call wrote. (Concurrent calls are unordered either
// way: conflict detection is off.)
type pipeline struct {
	txns  chan *badger.Txn // created up front; a batch takes one per transaction
	slots chan struct{}    // bounds the commits in flight, and so the memory they hold
	wg    sync.WaitGroup
	mu    sync.Mutex
	errs  []error // guarded by mu
}

// pipelineDepth is how many commits may be in flight at once.
const pipelineDepth = 4

// newPipeline creates n transactions for a call's batches.
func newPipeline(db *badger.DB, n int) *pipeline {
	p := &pipeline{txns: make(chan *badger.Txn, n), slots: make(chan struct{}, pipelineDepth)}
	for range n {
		p.txns <- db.NewTransaction(true)
	}
	return p
}

// txn returns a transaction created before any of the call's commits, or
// nil when they are used up.
func (p *pipeline) txn() *badger.Txn {
	select {
	case t := <-p.txns:
		return t
	default:
		return nil
	}
}

// commit sends txn's commit and returns once it is queued; an error shows
// in wait.
func (p *pipeline) commit(txn *badger.Txn) {
	p.slots <- struct{}{}
	p.wg.Add(1)
	txn.CommitWith(func(err error) {
		if err != nil {
			p.mu.Lock()
			p.errs = append(p.errs, fmt.Errorf("commit: %w", err))
			p.mu.Unlock()
		}
		<-p.slots
		p.wg.Done()
	})
}

// wait waits for every commit sent, drops the transactions not used and
// returns the commits' errors.
func (p *pipeline) wait() error {
	p.wg.Wait()
	for {
		select {
		case t := <-p.txns:
			t.Discard()
		default:
			p.mu.Lock()
			defer p.mu.Unlock()
			return errors.Join(p.errs...)
		}
	}
}
