package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/report"
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
			for _, s := range status {
				if err := checkChoice("status", s, []string{rules.StatusOpen, rules.StatusExempt, rules.StatusClosed}); err != nil {
					return err
				}
			}
			if policy != "" {
				ps, _, err := c.Policies()
				if err != nil {
					return err
				}
				ids := make([]string, len(ps))
				for i, p := range ps {
					ids[i] = p.ID
				}
				if err := checkChoice("policy", policy, ids); err != nil {
					return err
				}
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
				if rules.SeverityRank(vs[i].Severity) != rules.SeverityRank(vs[j].Severity) {
					return rules.SeverityRank(vs[i].Severity) < rules.SeverityRank(vs[j].Severity)
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

func newReportCmd(e *env) *cobra.Command {
	var format, group, failOn, region string
	var all bool
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Compliance report of a group: scores, policies, violations",
		Long: "Formats: md (default), json, csv, html (one self-contained page), ocsf (OCSF 1.3 Compliance\n" +
			"Findings), asff (AWS Security Finding Format), junit (a test case per policy and asset).\n" +
			"--fail-on SEVERITY exits 4 when an open (not exempt) violation at or above it is in the group.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if failOn != "" && !report.ValidSeverity(failOn) {
				return &exitError{code: exitUsage, err: fmt.Errorf("unknown --fail-on %q: critical, high, medium or low", failOn)}
			}
			write, ok := reportWriters(region)[format]
			if !ok {
				return &exitError{code: exitUsage, err: fmt.Errorf("unknown --format %q: md, json, csv, html, ocsf, asff or junit", format)}
			}
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			d, err := reportData(e, c, group, all)
			if err != nil {
				return err
			}
			if err := write(e.stdout, d); err != nil {
				return err
			}
			return failOnBreach(e, d.Report, failOn)
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md, json, csv, html, ocsf, asff or junit")
	cmd.Flags().StringVar(&group, "group", "all", "asset group")
	cmd.Flags().BoolVar(&all, "all", false, "include closed violations")
	cmd.Flags().StringVar(&failOn, "fail-on", "", "exit 4 when an open violation at or above this severity is in the group")
	cmd.Flags().StringVar(&region, "region", "", "asff: the Security Hub region of the findings (default: each violation's own)")
	return cmd
}

// reportWriters maps each --format to its writer.
func reportWriters(region string) map[string]func(io.Writer, *report.Data) error {
	return map[string]func(io.Writer, *report.Data) error{
		"json": func(w io.Writer, d *report.Data) error {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(d.Report)
		},
		"csv":      report.WriteCSV,
		"md":       report.WriteMarkdown,
		"markdown": report.WriteMarkdown,
		"html":     report.WriteHTML,
		"ocsf":     report.WriteOCSF,
		"junit":    report.WriteJUnit,
		"asff":     func(w io.Writer, d *report.Data) error { return report.WriteASFF(w, d, region) },
	}
}

// reportData gathers what every format reads — the report, the policies,
// the group's members and 90 days of trend — confined to the actor's scope.
func reportData(e *env, c *cycle.Cycle, group string, all bool) (*report.Data, error) {
	sc, err := e.scope()
	if err != nil {
		return nil, err
	}
	now := e.now()
	r, err := c.BuildReportIn(group, all, sc)
	if err != nil {
		return nil, err
	}
	ps, _, err := c.Policies()
	if err != nil {
		return nil, err
	}
	everyone, err := c.GroupMembers(r.Group)
	if err != nil {
		return nil, err
	}
	mem := everyone[:0]
	for _, m := range everyone {
		if sc.Has(m.ID) {
			mem = append(mem, m)
		}
	}
	trend, err := c.Store.TrendPoints(r.Group, rules.DefaultDomain, now.AddDate(0, 0, -90))
	if err != nil {
		return nil, err
	}
	return &report.Data{Report: r, Policies: report.PolicyIndex(ps), Members: mem, Trend: trend}, nil
}

// failOnBreach returns exit 4 when --fail-on names a severity and an open
// violation at or above it is in the report, naming the worst on stderr.
func failOnBreach(e *env, r *cycle.Report, failOn string) error {
	if failOn == "" {
		return nil
	}
	bs := report.Breaches(r, failOn)
	if len(bs) == 0 {
		return nil
	}
	for i, v := range bs {
		if i == 5 {
			fmt.Fprintf(e.stderr, "  ... and %d more\n", len(bs)-5)
			break
		}
		fmt.Fprintf(e.stderr, "  %s %s %s\n", v.Severity, v.PolicyID, asset.Clean(v.AssetID))
	}
	return &exitError{code: exitBreach, err: fmt.Errorf("%d open violations at or above %s in group %s (--fail-on)", len(bs), failOn, asset.Clean(r.Group))}
}
