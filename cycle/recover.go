package cycle

import (
	"fmt"

	"github.com/vigil-sec/vigil/asset"
)

// A scan commits in steps (store each unit, evaluate, write violations,
// write trend points, record the end), and a process killed between two of
// them leaves a store whose inventory is ahead of its violations: assets
// deleted but their violations open, new assets not judged. Two records
// make that recoverable: a tombstone per deleted asset, written in the
// transaction that deletes it, and the scan record, which stays `running`
// until FinishScan removes the tombstones and records the end in one
// batch (the scan record last). Open marks a scan it finds running
// `aborted` and flags the store; the next cycle built on a writable store
// (any headless command, the console) first re-runs evaluation and
// lifecycle over the stored inventory with the tombstones as deletions,
// then clears both. So after a kill at any step the scan never reads
// `complete`, and the deleted assets' violations are closed by the next
// open, once.

// recoverInterrupted finishes what a killed scan left: evaluation and
// lifecycle over the stored inventory, closing the violations of assets it
// deleted. It does nothing on a read-only store or a store with no such
// work.
func (c *Cycle) recoverInterrupted() error {
	if c.Store.ReadOnly() {
		return nil
	}
	need, err := c.Store.NeedsRecovery()
	if err != nil || !need {
		return err
	}
	gone, back, err := c.Store.PendingDeletions()
	if err != nil {
		return err
	}
	ev, err := c.evaluate(nil, gone, "recovery")
	if err != nil {
		return fmt.Errorf("re-evaluate after an interrupted scan: %w", err)
	}
	if err := c.Store.FinishRecovery(append(summaryIDs(gone), back...)); err != nil {
		return err
	}
	c.logf("recovered an interrupted scan: %d deleted assets, %d violations opened, %d closed",
		len(gone), ev.opened, ev.closed)
	return nil
}

func summaryIDs(sums []asset.Summary) []string {
	ids := make([]string, len(sums))
	for i := range sums {
		ids[i] = sums[i].ID
	}
	return ids
}
