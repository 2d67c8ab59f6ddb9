package cycle

import (
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

// Event is something the cycle tells notifiers (webhooks) about: a
// violation opened or closed, a fix applied, a scan that failed. Kind is
// one of config's Event* names.
type Event struct {
	Kind      string
	At        time.Time
	Scan      *asset.Scan      // the scan it came from (nil after a re-evaluation or a fix)
	Violation *rules.Violation // violation.opened, violation.closed
	Fix       *fix.Record      // fix.applied
	Error     string           // scan.failed
}

// SetNotify installs the hook that receives violation, fix and scan events
// (nil removes it). The hook must only queue them and return at once: it
// runs inside the scan.
func (c *Cycle) SetNotify(fn func([]Event)) {
	if fn == nil {
		c.notifyTo.Store(nil)
		return
	}
	c.notifyTo.Store(&fn)
}

// listener is the installed hook, or nil.
func (c *Cycle) listener() func([]Event) {
	if p := c.notifyTo.Load(); p != nil {
		return *p
	}
	return nil
}

// transitions are the open and close events of what an evaluation
// changed, judged against the violations as they were before it. Only
// computed when someone listens.
func (c *Cycle) transitions(before, changed []rules.Violation) []Event {
	if c.listener() == nil || len(changed) == 0 {
		return nil
	}
	prev := make(map[string]string, len(before))
	for i := range before {
		prev[before[i].ID] = before[i].Status
	}
	now := c.now()
	var out []Event
	for i := range changed {
		v := &changed[i]
		was, existed := prev[v.ID]
		switch {
		case v.Status == rules.StatusOpen && was != rules.StatusOpen:
			out = append(out, Event{Kind: config.EventViolationOpened, At: now, Violation: v})
		case v.Status == rules.StatusClosed && existed && was != rules.StatusClosed:
			out = append(out, Event{Kind: config.EventViolationClosed, At: now, Violation: v})
		}
	}
	return out
}

// notify hands events to the Notify hook, stamped with the scan. The hook
// only queues them (the outbox): delivery never holds up a scan.
func (c *Cycle) notify(sc *asset.Scan, evs []Event) {
	fn := c.listener()
	if fn == nil || len(evs) == 0 {
		return
	}
	for i := range evs {
		if evs[i].Scan == nil {
			evs[i].Scan = sc
		}
	}
	fn(evs)
}

// scanFailed is the event of a scan that recorded no result.
func (c *Cycle) scanFailed(sc *asset.Scan, err error) {
	c.notify(sc, []Event{{Kind: config.EventScanFailed, At: c.now(), Error: err.Error()}})
}

// fixApplied is the event of a fix that was applied.
func (c *Cycle) fixApplied(rec *fix.Record) {
	c.notify(nil, []Event{{Kind: config.EventFixApplied, At: rec.At, Fix: rec}})
}
