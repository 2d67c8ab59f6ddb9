package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
)

func newDiffCmd(e *env) *cobra.Command {
	var o cycle.DiffOptions
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "diff [OLD.vgl NEW.vgl]",
		Short: "What changed between two scans (default: the last two complete ones) or two saved-scan files",
		Long: "Lists assets added, removed and changed (each attribute path with before -> after),\n" +
			"violations opened, closed, exempted and re-opened, and compliance per group.\n" +
			"A scan's state is what the store held until the next scan started.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 0 && len(args) != 2 {
				return fmt.Errorf("diff takes no file or two (OLD.vgl NEW.vgl), got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var d *cycle.ScanDiff
			var err error
			if len(args) == 2 {
				if o.From != "" || o.To != "" {
					return &exitError{code: exitUsage, err: fmt.Errorf("--from and --to pick scans of the store; with two files leave them out")}
				}
				d, err = cycle.DiffFiles(args[0], args[1], o.Group)
			} else {
				c, done, oerr := e.openCycle(cmd.Context(), false)
				if oerr != nil {
					return oerr
				}
				defer done()
				sc, serr := e.scope()
				if serr != nil {
					return serr
				}
				d, err = c.DiffScans(o, sc)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(e, d)
			}
			printDiff(e.stdout, d)
			return nil
		},
	}
	cmd.Flags().StringVar(&o.From, "from", "", "older scan ID (default: the complete scan before --to)")
	cmd.Flags().StringVar(&o.To, "to", "", "newer scan ID (default: the newest complete scan)")
	cmd.Flags().StringVar(&o.Group, "group", "", "only this asset group's assets and violations")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object")
	return cmd
}

// printDiff writes a diff for a person: a headline, then each section.
func printDiff(w io.Writer, d *cycle.ScanDiff) {
	fmt.Fprintf(w, "from %s\nto   %s\n", sideLabel(d.From), sideLabel(d.To))
	a, v := &d.Assets, &d.Violations
	fmt.Fprintf(w, "\nassets: %d added, %d removed, %d changed\n", len(a.Added), len(a.Removed), len(a.Changed))
	for _, r := range a.Added {
		fmt.Fprintf(w, "  + %s  %s\n", r.Type, asset.Clean(r.ID))
	}
	for _, r := range a.Removed {
		fmt.Fprintf(w, "  - %s  %s\n", r.Type, asset.Clean(r.ID))
	}
	for _, c := range a.Changed {
		fmt.Fprintf(w, "  ~ %s  %s\n", c.Type, asset.Clean(c.ID))
		for _, ch := range c.Changes {
			fmt.Fprintf(w, "      %s: %s -> %s\n", asset.Clean(ch.Path), diffValue(ch.Before), diffValue(ch.After))
		}
	}
	fmt.Fprintf(w, "\nviolations: %d opened, %d closed, %d exempted, %d re-opened\n",
		len(v.Opened), len(v.Closed), len(v.Exempted), len(v.Reopened))
	for _, sec := range []struct {
		mark string
		rs   []cycle.ViolationRef
	}{{"opened  ", v.Opened}, {"closed  ", v.Closed}, {"exempted", v.Exempted}, {"reopened", v.Reopened}} {
		for _, r := range sec.rs {
			fmt.Fprintf(w, "  %s %-8s %s  %s\n", sec.mark, r.Severity, r.PolicyID, asset.Clean(r.AssetID))
		}
	}
	if len(d.Compliance) > 0 {
		fmt.Fprintln(w, "\ncompliance")
		names := make([]string, 0, len(d.Compliance))
		for g := range d.Compliance {
			names = append(names, g)
		}
		sort.Strings(names)
		for _, g := range names {
			c := d.Compliance[g]
			change := ""
			if c.Change != nil {
				change = fmt.Sprintf(" (%+d)", *c.Change)
			}
			fmt.Fprintf(w, "  %-20s %s -> %s%s\n", asset.Clean(g), pct(c.Before), pct(c.After), change)
		}
	}
}

func sideLabel(s cycle.DiffSide) string {
	l := s.Scan
	if s.File != "" {
		l = asset.Clean(s.File)
		if s.Scan != "" {
			l += " (scan " + s.Scan + ")"
		}
	}
	if !s.Started.IsZero() {
		l += "  " + s.Started.UTC().Format("2006-01-02 15:04") + "  " + s.Status
	}
	return l
}

func pct(n *int) string {
	if n == nil {
		return "?"
	}
	return fmt.Sprintf("%d%%", *n)
}

// diffValue renders one side of a change compactly; a missing side is "∅".
func diffValue(v any) string {
	if v == nil {
		return "∅"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return asset.Clean(fmt.Sprint(v))
	}
	s := []rune(string(b))
	if len(s) > 120 {
		s = append(s[:117], []rune("...")...)
	}
	return asset.Clean(strings.TrimSpace(string(s)))
}
