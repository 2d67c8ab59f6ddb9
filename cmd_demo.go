package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/rules"
)

func newDemoCmd(e *env) *cobra.Command {
	var reset bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Open the console on bundled demo data (3 accounts, 4 regions, 90 days of history; no AWS)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConsole(cmd.Context(), e, true, reset)
		},
	}
	cmd.Flags().BoolVar(&reset, "reset", false, "rebuild the demo store from scratch")
	return cmd
}

// printDemoSummary is what `vigil demo` prints when it has no terminal to
// draw the console on.
func printDemoSummary(e *env, c *cycle.Cycle) error {
	n, err := c.Store.CountAssets()
	if err != nil {
		return err
	}
	vs, err := c.Store.Violations(db.ViolationFilter{Status: []string{rules.StatusOpen}})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "demo store %s: %d assets, %d open violations\n", c.Store.Dir(), n, len(vs))
	fmt.Fprintln(e.stdout, "run `vigil demo` in a terminal to open the console, or use `vigil --db "+c.Store.Dir()+" report`")
	return nil
}
