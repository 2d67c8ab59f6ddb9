package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
)

func newScansCmd(e *env) *cobra.Command {
	var asJSON, wide bool
	var limit int
	cmd := &cobra.Command{
		Use:   "scans",
		Short: "Scan history with the units that failed and why",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := e.openStoreRO()
			if err != nil {
				return err
			}
			defer st.Close()
			scans, err := st.Scans(limit)
			if err != nil {
				return fmt.Errorf("list scans: %w", err)
			}
			if asJSON {
				return printJSONList(e, scans)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "STARTED\tID\tSTATUS\tUNITS OK\tFAILED\tBY")
			for _, sc := range scans {
				ok, failed := sc.Counts()
				fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\n", sc.Started.Format("2006-01-02 15:04"), sc.ID, sc.Status, ok, failed, asset.Clean(sc.By))
				for _, u := range sc.Units {
					if u.Status != asset.UnitFailed {
						continue
					}
					// The whole cause, wrapped (or on one line with --wide):
					// a cut-off prefix hides what the operator must fix.
					lines := []string{fullLine(u.Error)}
					if !wide {
						lines = wrapText(lines[0], causeWidth)
					}
					fmt.Fprintf(tw, "\t  %s\tfailed\t\t\t%s\n", u.UnitKey, lines[0])
					for _, l := range lines[1:] {
						fmt.Fprintf(tw, "\t\t\t\t\t%s\n", l)
					}
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&wide, "wide", false, "print each failure's cause on one line instead of wrapping it")
	cmd.Flags().IntVar(&limit, "limit", 20, "newest N scans (0: all)")
	return cmd
}

// causeWidth is where a failure's cause wraps in `vigil scans`.
const causeWidth = 72

// fullLine is untrusted text cleaned for the terminal, on one line, whole.
func fullLine(s string) string {
	return strings.Join(strings.Fields(asset.Clean(s)), " ")
}

// wrapText splits s at spaces into lines of at most width runes; a word
// longer than width is cut.
func wrapText(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for len([]rune(w)) > width {
			if line != "" {
				out, line = append(out, line), ""
			}
			r := []rune(w)
			out, w = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) > width:
			out, line = append(out, line), w
		default:
			line += " " + w
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}
