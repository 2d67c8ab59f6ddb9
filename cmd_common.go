package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/demo"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/scanner"
)

// openCycle opens the store and builds the cycle for a headless command.
// withAWS adds the fixer (AWS credentials are loaded, not yet used).
func (e *env) openCycle(ctx context.Context, withAWS bool) (*cycle.Cycle, func(), error) {
	if e.owner != nil {
		return e.owner, func() {}, nil
	}
	cfg, err := e.config()
	if err != nil {
		return nil, nil, err
	}
	st, err := e.openStore(e.paths().DB)
	if err != nil {
		return nil, nil, err
	}
	logger, closeLog := e.logger()
	deps := cycle.Deps{Now: e.now, Log: logger, PolicyDirs: e.policyDirs()}
	demoStore := withAWS && isDemoStore(st)
	if withAWS && !demoStore {
		awsCfg, err := scanner.LoadAWSConfig(ctx, "")
		if err != nil {
			st.Close()
			closeLog()
			return nil, nil, err
		}
		deps.Fixer = &cycle.Fixer{Registry: fix.Default(), Collector: scanner.Default(),
			Endpoint: scanner.EndpointFromEnv(), Base: awsCfg, Accounts: cfg.Accounts}
	}
	c, loadErrs, err := cycle.New(st, cfg, deps)
	if err != nil {
		st.Close()
		closeLog()
		return nil, nil, err
	}
	printPolicyErrors(e.stderr, loadErrs)
	if demoStore { // fixes and undos act on the demo world, as in `vigil demo`
		cycle.DemoWorld(c, e.now, 0)
	}
	flush := attachNotify(e, c, logger)
	return c, func() { flush(); st.Close(); closeLog() }, nil
}

// isDemoStore reports whether a store holds the demo (its scans come from
// the demo source): fixes on it act on the simulated world, never on AWS.
func isDemoStore(st *db.Store) bool {
	scans, err := st.Scans(1)
	return err == nil && len(scans) == 1 && scans[0].Source == demo.SourceName
}

// printPolicyErrors reports broken policy files; the others still run.
func printPolicyErrors(w io.Writer, errs []error) {
	for _, err := range errs {
		fmt.Fprintf(w, "warning: %s\n", asset.Clean(err.Error()))
	}
}

// cycleBackend is a read-side backend over a cycle for headless commands,
// confined to the actor's groups.
func (e *env) cycleBackend(c *cycle.Cycle) *cycle.Backend {
	return cycle.NewBackend(c, nil, e.actor(), true)
}

// printJSON writes v as indented JSON on stdout.
func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// printJSONList writes a list as indented JSON, `[]` rather than `null`
// when it is empty, so scripts can iterate without a check.
func printJSONList[T any](e *env, xs []T) error {
	if xs == nil {
		xs = []T{}
	}
	return printJSON(e, xs)
}

// scope is the assets this invocation's actor may see (nil: all). Only an
// SSH user run inside the server is ever confined.
func (e *env) scope() (cycle.Scope, error) {
	a := e.actor()
	if e.owner == nil || !a.Scoped() {
		return nil, nil
	}
	return e.owner.ScopeOf(a)
}
