package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/report"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/scanner"
)

type scanFlags struct {
	regions     []string
	profile     string
	concurrency int
	maxInFlight int
	autofix     bool
	types       []string
	failOn      string
	group       string
	shard       string // I/N
	shards      int    // N, with I from the scheduler's environment
	export      string // write a snapshot here (file or s3://) instead of into the store
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Scan AWS into the store, evaluate every policy, record violations",
		Long: "Scans every (account, region, resource type) unit, stores the assets, evaluates the\n" +
			"policies and updates violations. Exit status: 0 complete, 3 partial (some units\n" +
			"failed, a check could not be evaluated or a policy file did not load; what was\n" +
			"known before is kept), 1 failed, 4 --fail-on found an open violation at or above\n" +
			"that severity in --group (4 wins over 3: the violation is certain).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runScan(cmd, e, f) },
	}
	cmd.Flags().StringSliceVar(&f.regions, "regions", nil, "regions to scan (default: config, else every enabled region)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS profile of the default credential chain")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 0, "units scanned at once (default: config, else 8)")
	cmd.Flags().IntVar(&f.maxInFlight, "max-inflight", 0, "AWS requests in flight at once, all units together (default: config scan.max_inflight, else 64)")
	cmd.Flags().BoolVar(&f.autofix, "autofix", false, "apply fixes of policies marked autofix (allow-listed accounts only)")
	cmd.Flags().StringSliceVar(&f.types, "types", nil, "only these asset types (default: all)")
	cmd.Flags().StringVar(&f.failOn, "fail-on", "", "exit 4 when an open violation at or above this severity is in --group")
	cmd.Flags().StringVar(&f.group, "group", "all", "asset group --fail-on looks at")
	cmd.Flags().StringVar(&f.shard, "shard", "", "scan only shard I of N (I/N, I from 0): the units whose stable hash falls in it")
	cmd.Flags().IntVar(&f.shards, "shards", 0, "scan shard I of N, I from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch)")
	cmd.Flags().StringVar(&f.export, "export", "", "write the scan as a snapshot to FILE or s3://bucket/key (a trailing / adds shard-I-of-N.vgl; {shard} is replaced by I) and use no local store")
	return cmd
}

func runScan(cmd *cobra.Command, e *env, f scanFlags) error {
	ctx := cmd.Context()
	if e.readOnly {
		return &exitError{code: exitUsage, err: errors.New("scan writes to the store; drop --read-only")}
	}
	if f.failOn != "" && !report.ValidSeverity(f.failOn) {
		return &exitError{code: exitUsage, err: fmt.Errorf("unknown --fail-on %q: critical, high, medium or low", f.failOn)}
	}
	cfg, err := e.config()
	if err != nil {
		return err
	}
	awsCfg, err := scanner.LoadAWSConfig(ctx, f.profile)
	if err != nil {
		return err
	}
	targets, err := scanner.ResolveTargets(ctx, awsCfg, cfg.Accounts)
	if err != nil {
		return err
	}
	regions := f.regions
	if len(regions) == 0 {
		regions = cfg.Regions
	}
	if len(regions) == 0 {
		if regions, err = scanner.EnabledRegions(ctx, awsCfg); err != nil {
			return fmt.Errorf("list enabled regions (or pass --regions): %w", err)
		}
	}
	conc := f.concurrency
	if conc == 0 {
		conc = cfg.Concurrency
	}
	inflight := f.maxInFlight
	if inflight == 0 {
		inflight = cfg.Scan.MaxInFlight
	}
	if inflight < 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("--max-inflight %d: give a positive number of requests (or 0 for the default)", inflight)}
	}
	shard, err := scanShard(f, os.Getenv)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	dest, err := exportDest(f.export, shard)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	runner := &scanner.Runner{Registry: scanner.Default(), Concurrency: conc, MaxInFlight: inflight, Regions: regions,
		Types: f.types, Endpoint: scanner.EndpointFromEnv(), Now: e.now, Shard: shard}
	src := &cycle.AWSSource{Runner: runner, Targets: targets}

	dbDir := e.paths().DB
	if dest != "" {
		// A scan that only exports needs no store of the user's: it fills
		// a private one, exports it and removes it.
		tmp, err := os.MkdirTemp("", "vigil-scan-export-")
		if err != nil {
			return fmt.Errorf("scan --export: %w", err)
		}
		defer os.RemoveAll(tmp)
		dbDir = filepath.Join(tmp, "db")
	}
	st, err := e.openStore(dbDir)
	if err != nil {
		return err
	}
	defer st.Close()
	logger, closeLog := e.logger()
	defer closeLog()
	cyc, loadErrs, err := cycle.New(st, cfg, cycle.Deps{Now: e.now, Log: logger, PolicyDirs: e.policyDirs(),
		AfterStep: crashHook(os.Getenv)})
	if err != nil {
		return err
	}
	printPolicyErrors(e.stderr, loadErrs)
	bar := newScanProgress(e.stderr, e.isTTY(e.stderr))
	res, err := cyc.Run(ctx, src, cycle.RunOptions{Source: "aws", Actor: e.actor(), Autofix: f.autofix}, bar.update)
	bar.done()
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	if dest != "" {
		if err := exportScan(ctx, e, cyc, dest); err != nil {
			return &exitError{code: exitFailed, err: err}
		}
	}
	// Close before the summary: an error closing (a full disk) must come
	// before anything reads "complete".
	if err := st.Close(); err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	printScanSummary(e.stdout, st, res)
	if f.failOn != "" && res.Scan.Status != asset.ScanFailed {
		r, err := cyc.BuildReport(f.group, false)
		if err != nil {
			return err
		}
		if err := failOnBreach(e, r, f.failOn); err != nil {
			return err
		}
	}
	return scanExit(res)
}

// scanExit is the scan's exit status: failed when no unit completed,
// partial when a unit failed, a check errored or a policy file did not load.
func scanExit(res *cycle.Result) error {
	switch {
	case res.Scan.Status != asset.ScanComplete && res.Scan.Status != asset.ScanPartial:
		return &exitError{code: exitFailed, err: fmt.Errorf("scan %s failed: no unit completed", res.Scan.ID)}
	case len(res.EvalErrors) > 0:
		pe := res.EvalErrors[0]
		return &exitError{code: exitPartial, err: fmt.Errorf("partial: %d policies could not judge some assets; first: policy %s on %s: %s (see `vigil policies`)",
			len(res.EvalErrors), pe.PolicyID, asset.Clean(pe.Asset), pe.Message)}
	case len(res.PolicyErrors) > 0:
		return &exitError{code: exitPartial, err: fmt.Errorf("partial: %d policy file(s) did not load and were not evaluated (listed above)", len(res.PolicyErrors))}
	case res.Partial():
		return &exitError{code: exitPartial}
	}
	return nil
}

// printScanSummary writes assets by type and the failed units with errors.
func printScanSummary(w io.Writer, st interface {
	Summaries(func(*asset.Summary) bool) error
}, res *cycle.Result) {
	sc := res.Scan
	complete, failed := sc.Counts()
	fmt.Fprintf(w, "scan %s: %s — %d units complete, %d failed, in %s\n",
		sc.ID, sc.Status, complete, failed, sc.Finished.Sub(sc.Started).Round(1e6))
	byType := map[string]int{}
	for _, u := range sc.Units {
		if u.Status == asset.UnitComplete {
			byType[u.Type] += u.Assets
		}
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	sort.Strings(types)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TYPE\tASSETS")
	total := 0
	for _, t := range types {
		fmt.Fprintf(tw, "%s\t%d\n", t, byType[t])
		total += byType[t]
	}
	fmt.Fprintf(tw, "total\t%d\n", total)
	tw.Flush()
	if failed > 0 {
		fmt.Fprintln(w, "\nFailed units (what they knew from the last scan is kept):")
		tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ACCOUNT\tREGION\tTYPE\tERROR")
		for _, u := range sc.Units {
			if u.Status == asset.UnitFailed {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Account, u.Region, u.Type, oneLine(u.Error))
			}
		}
		tw.Flush()
	}
	printEvalProblems(w, res)
	fmt.Fprintf(w, "violations: %d opened, %d closed, %d exempt", res.Opened, res.Closed, res.Exempted)
	if res.Fixed > 0 {
		fmt.Fprintf(w, ", %d fixed unattended", res.Fixed)
	}
	if n := evalErrorCount(res.EvalErrors); n > 0 {
		fmt.Fprintf(w, ", %d checks could not be evaluated", n)
	}
	fmt.Fprintln(w)
}

// printEvalProblems lists the policy files that did not load and the
// policies whose check could not judge some assets, with the first error.
func printEvalProblems(w io.Writer, res *cycle.Result) {
	if len(res.PolicyErrors) > 0 {
		fmt.Fprintf(w, "\nPolicy files that did not load (not evaluated):\n")
		for _, err := range res.PolicyErrors {
			fmt.Fprintf(w, "  %s\n", asset.Clean(err.Error()))
		}
	}
	if len(res.EvalErrors) > 0 {
		fmt.Fprintf(w, "\nChecks that could not be evaluated (neither pass nor fail; the violation keeps its status):\n")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "POLICY\tASSETS\tFIRST ERROR")
		for _, pe := range res.EvalErrors {
			fmt.Fprintf(tw, "%s\t%d\t%s: %s\n", pe.PolicyID, pe.Count(), asset.Clean(pe.Asset), pe.Message)
		}
		tw.Flush()
	}
}

// evalErrorCount is the number of (policy, asset) checks that errored.
func evalErrorCount(errs []rules.PolicyErrors) int {
	n := 0
	for _, pe := range errs {
		n += pe.Count()
	}
	return n
}

func oneLine(s string) string {
	s = asset.Clean(s)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return strings.TrimSpace(s)
}
