package cycle

import (
	"context"
	"fmt"
	"io"
	"log"
	"sync/atomic"
	"time"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/config"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

// Deps are the parts a cycle is built from.
type Deps struct {
	Now        func() time.Time
	Log        *log.Logger
	PolicyDirs []string // user policy directories; missing ones are skipped
	Fixer      *Fixer   // nil: no fixes (unattended or manual)
	// AfterStep, when set, is called at each step boundary of a scan (the
	// Step* names). A test hook: production code leaves it nil.
	AfterStep func(step string)
}

// RunOptions tune one run of the cycle.
type RunOptions struct {
	Source string // "aws", "demo"
	By     string // who started it
	// Actor, when set, is checked for the right to scan (a refusal is
	// audited); By defaults to its name.
	Actor   asset.Actor
	Autofix bool // apply fixes of autofix policies (allow-listed accounts only)
}

// Cycle runs scan -> store -> evaluate -> lifecycle -> trend point ->
// autofix for one store. It is safe to share between console sessions; runs
// are serialised.
type Cycle struct {
	Store  *db.Store
	Config *config.Config
	deps   Deps
	run    chan struct{} // a one-slot lock: one cycle or evaluation at a time

	base     []*rules.Policy // as loaded from the pack and the user dirs
	loadErrs []error
	gen      atomic.Uint64 // bumped whenever assets or violations change
	shared   sharedReads   // what every session reads alike (see shared.go)
	running  atomic.Pointer[runningScan]

	notifyTo atomic.Pointer[func([]Event)] // SetNotify's hook (notify.go)
}

// Generation changes whenever the cycle changed assets or violations (an
// evaluation, a fix, an undo): sessions key their caches on it.
func (c *Cycle) Generation() uint64 { return c.gen.Load() }

// New builds a cycle and loads the policies once to report broken files.
// Load errors are returned apart: the policies that loaded still run.
func New(st *db.Store, cfg *config.Config, d Deps) (*Cycle, []error, error) {
	if cfg == nil {
		cfg = &config.Config{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = log.New(io.Discard, "", 0)
	}
	c := &Cycle{Store: st, Config: cfg, deps: d, run: make(chan struct{}, 1)}
	c.ReloadPolicies()
	if err := c.recoverInterrupted(); err != nil {
		return nil, c.loadErrs, fmt.Errorf("store %s: %w", st.Dir(), err)
	}
	return c, c.loadErrs, nil
}

// ReloadPolicies reads the built-in pack and the user directories again.
// Broken files are reported by Policies; the others are used.
func (c *Cycle) ReloadPolicies() {
	var dirs []string
	for i, d := range c.deps.PolicyDirs {
		if i == 0 && !dirExists(d) { // the config policy dir is optional
			continue
		}
		dirs = append(dirs, d)
	}
	c.base, c.loadErrs = rules.LoadAll(dirs...)
}

func (c *Cycle) now() time.Time { return c.deps.Now().UTC() }

func (c *Cycle) logf(format string, args ...any) { c.deps.Log.Printf(format, args...) }

// lock takes the cycle's run slot, or fails when ctx ends first.
func (c *Cycle) lock(ctx context.Context) error {
	select {
	case c.run <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Cycle) unlock() { <-c.run }

// Run performs one whole cycle with src as the source of assets.
func (c *Cycle) Run(ctx context.Context, src Source, o RunOptions, progress func(Progress)) (*Result, error) {
	if err := c.lock(ctx); err != nil {
		return nil, err
	}
	defer c.unlock()
	if o.Actor.Name != "" {
		if err := c.Authorize(o.Actor, asset.ActScan, "scan", ""); err != nil {
			return nil, err
		}
		if o.By == "" {
			o.By = o.Actor.Name
		}
	}
	if o.By == "" {
		o.By = "scan"
	}
	t0 := time.Now()
	c.running.Store(&runningScan{by: o.By, p: Progress{Phase: PhaseScan}})
	defer c.running.Store(nil)
	out, err := c.scan(ctx, src, o, c.watch(o.By, progress))
	if err != nil {
		return nil, err
	}
	tScan := time.Since(t0)
	res := &Result{Scan: out.scan}
	if out.status == asset.ScanFailed && out.runErr != nil {
		out.scan.Status = out.status
		if err := c.Store.FinishScan(out.scan, nil); err != nil {
			c.logf("record scan end: %v", err)
		}
		c.scanFailed(out.scan, out.runErr)
		return res, fmt.Errorf("no unit completed: %w", out.runErr)
	}
	c.step(StepStoreEvaluate)
	if progress != nil {
		progress(Progress{ScanID: out.scan.ID, Phase: PhaseEvaluate, Done: len(out.scan.Units), Total: len(out.scan.Units), Assets: out.assets})
	}
	t1 := time.Now()
	// Every asset deleted and not yet settled: this scan's, and any a
	// killed scan left (see recover.go).
	gone, back, err := c.Store.PendingDeletions()
	if err != nil {
		return res, c.failScan(out.scan, err)
	}
	ev, err := c.evaluate(out.completed, gone, "scan")
	if err != nil {
		return res, c.failScan(out.scan, fmt.Errorf("evaluate: %w", err))
	}
	c.step(StepTrendComplete)
	out.scan.Status = out.status
	if err := c.Store.FinishScan(out.scan, append(summaryIDs(gone), back...)); err != nil {
		return res, fmt.Errorf("record scan end: %w", err)
	}
	c.notify(out.scan, ev.events)
	tEval := time.Since(t1)
	c.afterScanHistory(out.scan.ID, c.now())
	res.Opened, res.Closed, res.Exempted = ev.opened, ev.closed, ev.exempted
	res.EvalErrors = ev.errors
	res.PolicyErrors = append([]error(nil), c.loadErrs...)
	if o.Autofix && c.deps.Fixer != nil {
		if progress != nil {
			progress(Progress{ScanID: out.scan.ID, Phase: PhaseAutofix, Done: len(out.scan.Units), Total: len(out.scan.Units), Assets: out.assets})
		}
		n, err := c.autofix(ctx)
		res.Fixed = n
		if err != nil {
			c.logf("autofix: %v", err)
		}
	}
	t2 := time.Now()
	if err := c.Store.CollectGarbage(); err != nil {
		c.logf("store garbage collection: %v", err)
	}
	c.logf("cycle %s: %s, %d assets; scan+store %s, evaluate %s, gc %s; %d opened, %d closed",
		out.scan.ID, out.scan.Status, out.assets, tScan.Round(time.Millisecond), tEval.Round(time.Millisecond),
		time.Since(t2).Round(time.Millisecond), res.Opened, res.Closed)
	if progress != nil {
		progress(Progress{ScanID: out.scan.ID, Phase: PhaseDone, Done: len(out.scan.Units), Total: len(out.scan.Units), Assets: out.assets})
	}
	return res, nil
}

// failScan records a scan whose evaluation could not be written as failed
// (its stored units stay; the next evaluation judges them) and returns err.
func (c *Cycle) failScan(sc *asset.Scan, err error) error {
	sc.Status = asset.ScanFailed
	if ferr := c.Store.FinishScan(sc, nil); ferr != nil {
		c.logf("record scan end: %v", ferr)
	}
	c.scanFailed(sc, err)
	return err
}

// Reevaluate judges the stored inventory again without scanning (after a
// policy toggle, an exception or a fix) and writes today's trend points.
func (c *Cycle) Reevaluate(ctx context.Context, by string) error {
	if err := c.lock(ctx); err != nil {
		return err
	}
	defer c.unlock()
	ev, err := c.evaluate(nil, nil, by)
	c.notify(nil, ev.events)
	return err
}

// Policies returns the loaded policies (copies) with the config's and the
// operator's overrides applied, read afresh so overrides stored by another
// session take effect at once, and the load errors of broken files.
func (c *Cycle) Policies() ([]*rules.Policy, []error, error) {
	errs := c.loadErrs
	ps := make([]*rules.Policy, len(c.base))
	for i, p := range c.base {
		cp := *p
		ps[i] = &cp
	}
	states, err := c.Store.PolicyStates()
	if err != nil {
		return nil, errs, fmt.Errorf("read policy states: %w", err)
	}
	for _, p := range ps {
		if pc, ok := c.Config.Policies[p.ID]; ok {
			if pc.Disabled {
				p.Disabled = true
			}
			if pc.Autofix != nil {
				p.Autofix = *pc.Autofix
			}
		}
		if st, ok := states[p.ID]; ok {
			p.Disabled = st.Disabled
			if st.Autofix != nil {
				p.Autofix = *st.Autofix
			}
		}
	}
	return ps, errs, nil
}
