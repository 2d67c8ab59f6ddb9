package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
	"github.com/vigil-sec/vigil/tui"
)

var _ tui.Backend = (*cycle.Backend)(nil)

// runConsole opens the interactive console on the store (or the demo store).
func runConsole(ctx context.Context, e *env, isDemo bool, reset bool) error {
	tty := e.isTTY(os.Stdout) && e.isTTY(os.Stdin)
	if !tty && !isDemo {
		return &exitError{code: exitUsage, err: errors.New("the console needs a terminal; for scripts use `vigil scan`, `vigil report` or `vigil assets --json`")}
	}
	logger, closeLog := e.logger()
	defer closeLog()
	cfg, err := e.config()
	if err != nil {
		return err
	}
	var bgAnswer func() (bool, bool)
	if tty && (cfg.Theme == "" || cfg.Theme == "auto") {
		bgAnswer = startBackgroundQuery(os.Stdin, os.Stdout) // answers while the store opens
	}
	var b *cycle.Backend
	var st *db.Store // the store whose mapped pages the console releases
	if isDemo {
		fmt.Fprintln(e.stderr, "preparing the demo store (first start builds 90 days of history)...")
		c, err := cycle.OpenDemo(ctx, e.paths().DemoDB, reset, cycle.Deps{Now: e.now, Log: logger})
		if err != nil {
			return err
		}
		defer c.Store.Close()
		st = c.Store
		if !tty {
			return printDemoSummary(e, c)
		}
		b = cycle.DemoBackend(c, e.now, 60*time.Millisecond, e.readOnly)
	} else {
		var err error
		if st, err = e.openStore(e.paths().DB); err != nil {
			return err
		}
		defer st.Close()
		deps := cycle.Deps{Now: e.now, Log: logger, PolicyDirs: e.policyDirs()}
		awsCfg, awsErr := scanner.LoadAWSConfig(ctx, "")
		if awsErr == nil && !e.readOnly {
			deps.Fixer = &cycle.Fixer{Registry: fix.Default(), Collector: scanner.Default(),
				Endpoint: scanner.EndpointFromEnv(), Base: awsCfg, Accounts: cfg.Accounts}
		}
		c, loadErrs, err := cycle.New(st, cfg, deps)
		if err != nil {
			return err
		}
		for _, le := range loadErrs {
			logger.Printf("policy: %v", le)
		}
		src := func() cycle.Source {
			return &lazyAWSSource{ctx: ctx, cfg: cfg, e: e}
		}
		act := e.actor()
		act.Via = asset.ViaConsole
		b = cycle.NewBackend(c, src, act, e.readOnly)
		b.Opts.Autofix = cfg.Schedule.Autofix // the schedule's setting decides unattended fixes
		if !e.readOnly {
			stop, err := listenOwner(ctx, e, c, nil, logger.Printf)
			if err != nil {
				return err
			}
			defer stop()
		}
		// digests and webhooks while the console is up
		defer startNotify(ctx, e, c, logger)()
	}
	r := lipgloss.NewRenderer(os.Stdout)
	dark, err := themeDark(cfg.Theme, bgAnswer)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	r.SetHasDarkBackground(dark)
	m := tui.New(b, tui.Options{
		Renderer:  r,
		ReadOnly:  e.readOnly,
		Keys:      cfg.Keys,
		Logger:    logger,
		Now:       e.now,
		ScanEvery: cfg.Schedule.Interval,
		AfterLoad: newMemoryReleaser(st, b.DropViolationCache, logger.Printf).afterLoad,
	})
	opts := []tea.ProgramOption{tea.WithAltScreen(), tea.WithContext(ctx)}
	if cfg.Mouse {
		opts = append(opts, tea.WithMouseCellMotion())
	}
	p := tea.NewProgram(m, opts...)
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		return fmt.Errorf("console: %w", err)
	}
	return nil
}
