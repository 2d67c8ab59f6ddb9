package cycle

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
)

// DemoSeed seeds the demo history so every start shows the same story.
const DemoSeed = 42

// DemoUser is who acts in the demo console.
const DemoUser = "demo"

// OpenDemo opens the demo store in dir, building it first when it is empty
// or reset is set: the demo inventory is "scanned" through the real cycle
// (so violations come from the real policies), then 90 days of history are
// generated. No AWS is touched.
func OpenDemo(ctx context.Context, dir string, reset bool, d Deps) (*Cycle, error) {
	if reset {
		if err := os.RemoveAll(dir); err != nil {
			return nil, fmt.Errorf("reset demo store: %w", err)
		}
	}
	st, err := db.Open(dir, db.Options{})
	if err != nil {
		return nil, fmt.Errorf("open demo store: %w", err)
	}
	c, _, err := New(st, &config.Config{}, d)
	if err != nil {
		st.Close()
		return nil, err
	}
	n, err := st.CountAssets()
	if err != nil {
		st.Close()
		return nil, fmt.Errorf("count demo assets: %w", err)
	}
	if n == 0 {
		for _, g := range demo.Groups() {
			if err := st.PutGroup(g); err != nil {
				st.Close()
				return nil, fmt.Errorf("store demo group %s: %w", g.Name, err)
			}
		}
		if _, err := c.Run(ctx, demo.NewSource(d.Now, 0), RunOptions{Source: "demo", By: DemoUser}, nil); err != nil {
			st.Close()
			return nil, fmt.Errorf("build demo inventory: %w", err)
		}
		if err := demo.History(ctx, st, c.now(), DemoSeed); err != nil {
			st.Close()
			return nil, fmt.Errorf("build demo history: %w", err)
		}
	}
	return c, nil
}

// NewDemoBackend builds a demo store in dir and a console backend on it,
// with a background "scan" that replays the demo inventory (tests and
// `vigil demo`). Close it with Close.
func NewDemoBackend(ctx context.Context, dir string, now time.Time) (*Backend, error) {
	clock := func() time.Time { return now }
	c, err := OpenDemo(ctx, dir, false, Deps{Now: clock})
	if err != nil {
		return nil, err
	}
	return DemoBackend(c, clock, 20*time.Millisecond, false), nil
}

// DemoBackend is the console backend of a demo store: fixes act on a
// simulated world kept in memory, and a background "scan" replays the demo
// inventory (with the world's fixes kept) unit by unit, delay apart.
func DemoBackend(c *Cycle, clock func() time.Time, delay time.Duration, readOnly bool) *Backend {
	b := NewBackend(c, DemoWorld(c, clock, delay), DemoActor(), readOnly)
	b.Opts.Source = "demo"
	return b
}

// Close closes the backend's store.
func (b *Backend) Close() error { return b.C.Store.Close() }

// DemoActor is who acts in the demo console: the demo user, an admin.
func DemoActor() asset.Actor {
	return asset.Actor{Name: DemoUser, Role: asset.RoleAdmin, Via: asset.ViaConsole}
}

// DemoWorld makes the cycle's fixes act on a simulated demo world kept in
// memory and returns the scan source that replays the demo inventory (with
// the world's fixes kept), unit by unit, delay apart. Every session of a
// server shares the one world.
func DemoWorld(c *Cycle, clock func() time.Time, delay time.Duration) func() Source {
	w := demo.NewWorld(c.Store, demo.WithClock(clock))
	c.SetFixer(NewOfflineFixer(w.Actions(), w.Collectors(), w.Accounts()))
	return func() Source { return w.Scan(demo.NewSource(clock, delay)) }
}
