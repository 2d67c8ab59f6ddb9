package cycle

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/internal/awsapi"
)

// scanOutcome is what the scan step hands to evaluation: which units
// completed (only those may close or delete anything) and what they deleted.
type scanOutcome struct {
	scan      *asset.Scan
	status    string // what the scan is recorded as once evaluated; scan.Status stays running till then
	completed map[asset.UnitKey]bool
	assets    int
	runErr    error // why the source stopped early, if it did
}

// NewScanID returns a sortable, unique scan ID.
func NewScanID(t time.Time) string {
	var b [3]byte
	_, _ = rand.Read(b[:])
	return t.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b[:])
}

// scan runs the source and stores each unit as it finishes. A failed unit
// keeps everything the store knew about it.
func (c *Cycle) scan(ctx context.Context, src Source, o RunOptions, progress func(Progress)) (*scanOutcome, error) {
	now := c.now()
	sc := &asset.Scan{ID: NewScanID(now), Started: now, Status: asset.ScanRunning, Source: o.Source, By: o.By}
	if s, ok := src.(identified); ok {
		sc.ID, sc.Started = s.ScanIdentity()
	}
	index := map[asset.UnitKey]int{}
	for _, u := range src.Units() {
		index[u] = len(sc.Units)
		sc.Units = append(sc.Units, asset.Unit{UnitKey: u, Status: asset.UnitPending})
	}
	if err := c.Store.PutScan(sc); err != nil {
		return nil, fmt.Errorf("record scan start: %w", err)
	}
	out := &scanOutcome{scan: sc, completed: map[asset.UnitKey]bool{}}
	stamp := db.Stamp{Scan: sc.ID, At: sc.Started} // asset history: what this scan replaced
	if stamp.At.IsZero() {
		stamp.At = now
	}
	done := 0
	lastSave := time.Time{}
	// mu keeps progress calls serial: handle and the request ticker both
	// report.
	var mu sync.Mutex
	stats, _ := src.(RequestStatser)
	requests := func() *awsapi.Stats {
		if stats == nil {
			return nil
		}
		st, ok := stats.RequestStats()
		if !ok {
			return nil
		}
		return &st
	}
	if progress != nil && stats != nil {
		stop := make(chan struct{})
		ticked := make(chan struct{})
		defer func() { close(stop); <-ticked }()
		go func() {
			defer close(ticked)
			tk := time.NewTicker(250 * time.Millisecond)
			defer tk.Stop()
			for {
				select {
				case <-stop:
					return
				case <-tk.C:
					mu.Lock()
					progress(Progress{ScanID: sc.ID, Phase: PhaseScan, Done: done, Total: len(sc.Units), Assets: out.assets, Requests: requests()})
					mu.Unlock()
				}
			}
		}()
	}
	handle := func(u asset.Unit, assets []asset.Asset) {
		mu.Lock()
		defer mu.Unlock()
		if u.Status == asset.UnitComplete {
			c.step(StepCollectStore)
			// The assets it deletes are recorded as pending deletions
			// (tombstones) in the same transactions; Run settles them.
			if _, err := c.Store.CompleteUnitAt(stamp, u.UnitKey, assets); err != nil {
				u.Status, u.Error = asset.UnitFailed, fmt.Sprintf("store: %v", err)
			} else {
				out.completed[u.UnitKey] = true
				out.assets += len(assets)
			}
		}
		if i, ok := index[u.UnitKey]; ok {
			sc.Units[i] = u
		} else {
			index[u.UnitKey] = len(sc.Units)
			sc.Units = append(sc.Units, u)
		}
		done++
		if time.Since(lastSave) > 500*time.Millisecond {
			if err := c.Store.PutScan(sc); err != nil {
				c.logf("save scan progress: %v", err)
			}
			lastSave = time.Now()
		}
		if u.Status == asset.UnitFailed {
			c.logf("scan %s: unit %s failed: %s", sc.ID, u.UnitKey, u.Error)
		}
		if progress != nil {
			uu := u
			progress(Progress{ScanID: sc.ID, Phase: PhaseScan, Done: done, Total: len(sc.Units), Unit: &uu, Assets: out.assets, Requests: requests()})
		}
	}
	runErr := src.Run(ctx, handle)
	mu.Lock()
	defer mu.Unlock()
	out.runErr = runErr
	for i := range sc.Units {
		if sc.Units[i].Status == asset.UnitPending {
			sc.Units[i].Status, sc.Units[i].Error = asset.UnitFailed, "not run: the scan ended early"
		}
	}
	sc.Finished = c.now()
	// The record stays running until Run has evaluated and finished it: a
	// kill before then leaves it for Open to mark aborted.
	out.status = scanStatus(sc, runErr)
	if err := c.Store.PutScan(sc); err != nil {
		return out, fmt.Errorf("record scan units: %w", err)
	}
	return out, nil
}

// scanStatus is complete when every unit completed, failed when none did,
// partial otherwise.
func scanStatus(sc *asset.Scan, runErr error) string {
	complete, failed := sc.Counts()
	pending := len(sc.Units) - complete - failed
	switch {
	case complete == 0 && len(sc.Units) > 0:
		return asset.ScanFailed
	case runErr != nil && complete == 0:
		return asset.ScanFailed
	case failed > 0 || pending > 0 || runErr != nil:
		return asset.ScanPartial
	default:
		return asset.ScanComplete
	}
}
