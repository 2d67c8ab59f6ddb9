package main

import (
	"encoding/csv"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

func newViolationsCmd(e *env) *cobra.Command {
	var group, policy string
	var status []string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "violations",
		Short: "List tracked violations (open and exempt unless --status says otherwise)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			if len(status) == 0 {
				status = []string{rules.StatusOpen, rules.StatusExempt}
			}
			sc, err := e.scope()
			if err != nil {
				return err
			}
			vs, _, err := c.GroupViolationsIn(group, db.ViolationFilter{PolicyID: policy, Status: status}, sc)
			if err != nil {
				return err
			}
			sort.Slice(vs, func(i, j int) bool {
				if sevRank(vs[i].Severity) != sevRank(vs[j].Severity) {
					return sevRank(vs[i].Severity) < sevRank(vs[j].Severity)
				}
				if vs[i].PolicyID != vs[j].PolicyID {
					return vs[i].PolicyID < vs[j].PolicyID
				}
				return vs[i].AssetID < vs[j].AssetID
			})
			if asJSON {
				return printJSONList(e, vs)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSTATUS\tSEVERITY\tPOLICY\tACCOUNT\tREGION\tASSET")
			for _, v := range vs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", v.ID, v.Status, v.Severity, v.PolicyID, v.Account, v.Region, asset.Clean(v.AssetID))
			}
			tw.Flush()
			fmt.Fprintf(e.stderr, "%d violations\n", len(vs))
			return nil
		},
	}
	cmd.Flags().StringVar(&group, "group", "all", "asset group")
	cmd.Flags().StringVar(&policy, "policy", "", "only this policy ID")
	cmd.Flags().StringSliceVar(&status, "status", nil, "open, exempt, closed (repeatable; default open,exempt)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func sevRank(s string) int {
	switch s {
	case rules.SeverityCritical:
		return 0
	case rules.SeverityHigh:
		return 1
	case rules.SeverityMedium:
		return 2
	}
	return 3
}

func newReportCmd(e *env) *cobra.Command {
	var format, group string
	var all bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Compliance report of a group: scores, policies, violations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			sc, err := e.scope()
			if err != nil {
				return err
			}
			r, err := c.BuildReportIn(group, all, sc)
			if err != nil {
				return err
			}
			switch format {
			case "json":
				return printJSON(e, r)
			case "csv":
				return writeReportCSV(e, r)
			case "md", "markdown":
				writeReportMD(e, r)
				return nil
			}
			return &exitError{code: exitUsage, err: fmt.Errorf("unknown --format %q: json, csv or md", format)}
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "json, csv or md")
	cmd.Flags().StringVar(&group, "group", "all", "asset group")
	cmd.Flags().BoolVar(&all, "all", false, "include closed violations")
	return cmd
}

func writeReportCSV(e *env, r *cycle.Report) error {
	w := csv.NewWriter(e.stdout)
	_ = w.Write([]string{"id", "policy_id", "asset_id", "asset_type", "account", "region", "severity", "status", "message", "opened_at", "closed_at"})
	for _, v := range r.Violations {
		closed := ""
		if v.ClosedAt != nil {
			closed = v.ClosedAt.Format(time.RFC3339)
		}
		_ = w.Write([]string{v.ID, v.PolicyID, v.AssetID, v.AssetType, v.Account, v.Region, v.Severity, v.Status,
			csvSafe(v.Message), v.OpenedAt.Format(time.RFC3339), closed})
	}
	w.Flush()
	return w.Error()
}

// csvSafe keeps a spreadsheet from reading a cell as a formula.
func csvSafe(s string) string {
	s = asset.Clean(s)
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeReportMD(e *env, r *cycle.Report) {
	w := e.stdout
	fmt.Fprintf(w, "# Compliance report — group %s\n\nGenerated %s; last scan %s (%s).\n\n", r.Group,
		r.GeneratedAt.Format(time.RFC3339), dash(r.Scan.ID), dash(r.Scan.Status))
	fmt.Fprintf(w, "| overall | security | governance | cost | tagging |\n|---|---|---|---|---|\n")
	fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n\n", pct(r.Compliance, "overall"), pct(r.Compliance, "security"),
		pct(r.Compliance, "governance"), pct(r.Compliance, "cost"), pct(r.Compliance, "tagging"))
	fmt.Fprintf(w, "## Policies\n\n| policy | severity | category | evaluated | open | exempt | compliance |\n|---|---|---|---|---|---|---|\n")
	for _, p := range r.Policies {
		fmt.Fprintf(w, "| %s | %s | %s | %d | %d | %d | %d%% |\n", p.ID, p.Severity, p.Category, p.Evaluated, p.Open, p.Exempt, p.Compliance)
	}
	fmt.Fprintf(w, "\n## Violations (%d)\n\n", len(r.Violations))
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	fmt.Fprintln(tw, "| status\t| severity\t| policy\t| asset\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|")
	for _, v := range r.Violations {
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s\t|\n", v.Status, v.Severity, v.PolicyID, strings.ReplaceAll(asset.Clean(v.AssetID), "|", "\\|"))
	}
	tw.Flush()
}

func pct(m map[string]int, k string) string {
	v, ok := m[k]
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%d%%", v)
}
