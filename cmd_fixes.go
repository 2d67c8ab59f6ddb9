package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
)

func newFixesCmd(e *env) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "fixes",
		Short: "List the fix audit trail: who fixed what, when, and the result",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := e.openStoreRO()
			if err != nil {
				return err
			}
			defer st.Close()
			sc, err := e.scope()
			if err != nil {
				return err
			}
			n := limit
			if sc != nil {
				n = 0
			}
			recs, err := st.FixRecords(n)
			if err != nil {
				return fmt.Errorf("list fixes: %w", err)
			}
			if sc != nil {
				kept := recs[:0]
				for _, r := range recs {
					if sc.Has(r.AssetID) && (limit <= 0 || len(kept) < limit) {
						kept = append(kept, r)
					}
				}
				recs = kept
			}
			if asJSON {
				return printJSONList(e, recs)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "WHEN\tRECORD\tACTION\tSTATUS\tBY\tASSET")
			for _, r := range recs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.At.Format("2006-01-02 15:04"), r.ID, r.Action,
					r.Status, asset.Clean(r.By), asset.Clean(r.AssetID))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&limit, "limit", 0, "newest N records (0: all)")
	return cmd
}
