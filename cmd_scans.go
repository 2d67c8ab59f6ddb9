package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
)

func newScansCmd(e *env) *cobra.Command {
	var asJSON bool
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
					if u.Status == asset.UnitFailed {
						fmt.Fprintf(tw, "\t  %s\tfailed\t\t\t%s\n", u.UnitKey, oneLine(u.Error))
					}
				}
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&limit, "limit", 20, "newest N scans (0: all)")
	return cmd
}
