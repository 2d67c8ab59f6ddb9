package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
	"github.com/vigil-sec/vigil/tui/omni"
)

// searchRow is one ranked search result as `vigil search --json` prints it.
type searchRow struct {
	Kind    string            `json:"kind"`
	Name    string            `json:"name"`
	ID      string            `json:"id"`
	Type    string            `json:"type"`
	Account string            `json:"account"`
	Region  string            `json:"region"`
	Tags    map[string]string `json:"tags,omitempty"`
	Field   string            `json:"matched_field"`
	Score   int               `json:"score"`
}

func newSearchCmd(e *env) *cobra.Command {
	var limit int
	var asJSON bool
	var group string
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search assets, policies and open violations, ranked as the console's / does",
		Long: "Search assets, policies and open violations with the console's engine and ranking.\n" +
			"QUERY follows fzf's extended syntax: space-separated terms all match, each on its own;\n" +
			"'exact, ^prefix, suffix$, !exclude, a | b.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 {
				return &exitError{code: exitUsage, err: fmt.Errorf("--limit %d: give a positive number of results", limit)}
			}
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			b := e.cycleBackend(c)
			sums, err := b.Summaries(group)
			if err != nil {
				return fmt.Errorf("search: read assets of group %s: %w", group, err)
			}
			vs, err := b.Violations(group, db.ViolationFilter{Status: []string{rules.StatusOpen}})
			if err != nil {
				return fmt.Errorf("search: read open violations: %w", err)
			}
			ix := omni.ConsoleIndex(sums, b.Policies(), vs)
			res := ix.Search(cmd.Context(), omni.Query{Text: args[0], Limit: limit})
			rows := make([]searchRow, len(res.Hits))
			for i, h := range res.Hits {
				rows[i] = searchRowOf(h)
			}
			if asJSON {
				return printJSONList(e, rows)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KIND\tNAME\tTYPE\tACCOUNT\tREGION\tMATCHED\tSCORE\tID")
			for _, r := range rows {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", r.Kind, truncate(r.Name, 60), r.Type, r.Account, r.Region, r.Field, r.Score, r.ID)
			}
			tw.Flush()
			fmt.Fprintf(e.stderr, "%d of %d matching lines\n", len(rows), res.Total)
			return nil
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 20, "how many results to print")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&group, "group", groups.All, "search this asset group")
	return cmd
}

// searchRowOf turns a hit into a printable row, every string cleaned of
// terminal escapes.
func searchRowOf(h omni.Hit) searchRow {
	it := h.Item
	r := searchRow{Kind: it.Kind.String(), Name: asset.Clean(it.Title), ID: asset.Clean(it.ID), Type: it.Type,
		Account: asset.Clean(it.Account), Region: asset.Clean(it.Region), Field: h.Field, Score: h.Score}
	if it.Title == "" {
		r.Name = r.ID
	}
	if it.Tags.Len() > 0 {
		r.Tags = map[string]string{}
		for k, v := range it.Tags.All() {
			r.Tags[asset.Clean(k)] = asset.Clean(v)
		}
	}
	return r
}

// truncate cuts s to n runes with an ellipsis.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}
