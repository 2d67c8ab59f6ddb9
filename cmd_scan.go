package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/scanner"
)

type scanFlags struct {
	regions     []string
	profile     string
	concurrency int
	autofix     bool
	types       []string
}

func newScanCmd(e *env) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan",
		Short: "Scan AWS into the store, evaluate every policy, record violations",
		Long: "Scans every (account, region, resource type) unit, stores the assets, evaluates the\n" +
			"policies and updates violations. Exit status: 0 complete, 3 partial (some units\n" +
			"failed; what they knew before is kept), 1 failed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runScan(cmd, e, f) },
	}
	cmd.Flags().StringSliceVar(&f.regions, "regions", nil, "regions to scan (default: config, else every enabled region)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "AWS profile of the default credential chain")
	cmd.Flags().IntVar(&f.concurrency, "concurrency", 0, "units scanned at once (default: config, else 8)")
	cmd.Flags().BoolVar(&f.autofix, "autofix", false, "apply fixes of policies marked autofix (allow-listed accounts only)")
	cmd.Flags().StringSliceVar(&f.types, "types", nil, "only these asset types (default: all)")
	return cmd
}

func runScan(cmd *cobra.Command, e *env, f scanFlags) error {
	ctx := cmd.Context()
	if e.readOnly {
		return &exitError{code: exitUsage, err: errors.New("scan writes to the store; drop --read-only")}
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
	runner := &scanner.Runner{Registry: scanner.Default(), Concurrency: conc, Regions: regions,
		Types: f.types, Endpoint: scanner.EndpointFromEnv(), Now: e.now}
	src := &cycle.AWSSource{Runner: runner, Targets: targets}

	st, err := e.openStore(e.paths().DB)
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
	res, err := cyc.Run(ctx, src, cycle.RunOptions{Source: "aws", By: who(), Autofix: f.autofix}, bar.update)
	bar.done()
	if err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	// Close before the summary: an error closing (a full disk) must come
	// before anything reads "complete".
	if err := st.Close(); err != nil {
		return &exitError{code: exitFailed, err: err}
	}
	printScanSummary(e.stdout, st, res)
	switch res.Scan.Status {
	case asset.ScanComplete:
		return nil
	case asset.ScanPartial:
		return &exitError{code: exitPartial}
	default:
		return &exitError{code: exitFailed, err: fmt.Errorf("scan %s failed: no unit completed", res.Scan.ID)}
	}
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
	fmt.Fprintf(w, "violations: %d opened, %d closed, %d exempt", res.Opened, res.Closed, res.Exempted)
	if res.Fixed > 0 {
		fmt.Fprintf(w, ", %d fixed unattended", res.Fixed)
	}
	fmt.Fprintln(w)
}

func oneLine(s string) string {
	s = asset.Clean(s)
	if len(s) > 160 {
		s = s[:157] + "..."
	}
	return strings.TrimSpace(s)
}
