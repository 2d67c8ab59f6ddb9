package cycle

import (
	"sync"
	"testing"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
)

// The Notify hook hears a scan's openings, then its closings when the
// resource is fixed, each once and stamped with the scan.
func TestNotifyHookHearsOpenAndClose(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	c := newTestCycle(t, &now)
	var mu sync.Mutex
	var got []Event
	c.SetNotify(func(evs []Event) { mu.Lock(); got = append(got, evs...); mu.Unlock() })
	bad := sg("us-east-1", "sg-bad", true, nil)
	src := &staticSource{units: []asset.UnitKey{sgUnit("us-east-1")}, assets: []asset.Asset{bad}}
	res := mustRun(t, c, src)
	count := func(kind string) (n int) {
		mu.Lock()
		defer mu.Unlock()
		for _, e := range got {
			if e.Kind == kind && e.Violation != nil && e.Violation.PolicyID == openSSH && e.Violation.AssetID == bad.ID {
				if e.Scan == nil || e.Scan.ID == "" {
					t.Errorf("%s event without its scan", kind)
				}
				n++
			}
		}
		return n
	}
	if count(config.EventViolationOpened) != 1 || res.Opened == 0 {
		t.Fatalf("after the first scan: %d open events for %s, want 1", count(config.EventViolationOpened), openSSH)
	}
	mustRun(t, c, src) // nothing changed: nothing new to hear
	if n := count(config.EventViolationOpened); n != 1 {
		t.Errorf("an unchanged rescan re-announced: %d open events", n)
	}
	fixed := sg("us-east-1", "sg-bad", false, nil)
	mustRun(t, c, &staticSource{units: src.units, assets: []asset.Asset{fixed}})
	if n := count(config.EventViolationClosed); n != 1 {
		t.Errorf("after the fix: %d close events, want 1", n)
	}
}
