package main

import (
	"fmt"
	"sort"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/groups"
)

func newGroupsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "groups", Short: "Asset groups: add, list, show, rm"}
	var desc string
	var crit criteriaFlags
	add := &cobra.Command{
		Use: "add NAME", Short: "Create or replace a group from criteria", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			g, err := crit.group(args[0])
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			g.Description = desc
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			if err := c.Authorize(e.actor(), asset.ActGroupEdit, g.Name, ""); err != nil {
				return err
			}
			if err := c.Store.PutGroup(g); err != nil {
				return err
			}
			if err := c.Store.AppendAudit(db.AuditEvent{At: e.now(), By: e.actor().Name, Action: "group.save", Target: g.Name, Detail: describeCriteria(g)}); err != nil {
				return err
			}
			mem, err := c.GroupMembers(g.Name)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "group %s saved: %d assets\n", g.Name, len(mem))
			return nil
		},
	}
	add.Flags().StringVar(&desc, "description", "", "what the group is for")
	crit.bind(add)
	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List built-in, config and stored groups", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			b := e.cycleBackend(c)
			gs, err := b.Groups()
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(e, gs)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tSOURCE\tCRITERIA")
			broken := 0
			for _, g := range gs {
				crit := describeCriteria(g)
				if g.Broken != "" {
					broken++
					crit = "BROKEN: " + asset.Clean(g.Broken) + " (it selects nothing until fixed)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\n", asset.Clean(g.Name), dash(g.Source), crit)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			if broken > 0 {
				fmt.Fprintf(e.stderr, "warning: %d group(s) are broken and select nothing; fix their definition (config.yaml or `vigil groups add`)\n", broken)
			}
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	show := &cobra.Command{
		Use: "show NAME", Short: "Show a group's criteria and member count by type", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			gs, err := e.cycleBackend(c).Groups()
			if err != nil {
				return err
			}
			g, ok := groups.Find(gs, args[0])
			if !ok {
				return fmt.Errorf("no group named %q (see `vigil groups list`)", args[0])
			}
			mem, err := c.GroupMembers(g.Name)
			if err != nil {
				return err
			}
			byType := map[string]int{}
			for _, s := range mem {
				byType[s.Type]++
			}
			types := make([]string, 0, len(byType))
			for t := range byType {
				types = append(types, t)
			}
			sort.Strings(types)
			fmt.Fprintf(e.stdout, "group %s (%s)\ncriteria: %s\n\n", g.Name, dash(g.Source), describeCriteria(g))
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "TYPE\tASSETS")
			for _, t := range types {
				fmt.Fprintf(tw, "%s\t%d\n", t, byType[t])
			}
			fmt.Fprintf(tw, "total\t%d\n", len(mem))
			return tw.Flush()
		},
	}
	rm := &cobra.Command{
		Use: "rm NAME", Short: "Remove a stored group", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			if err := c.Authorize(e.actor(), asset.ActGroupEdit, args[0], ""); err != nil {
				return err
			}
			st := c.Store
			stored, err := st.Groups()
			if err != nil {
				return err
			}
			if _, ok := groups.Find(stored, args[0]); !ok {
				return fmt.Errorf("no stored group %q (built-in and config groups cannot be removed here)", args[0])
			}
			if err := st.DeleteGroup(args[0]); err != nil {
				return err
			}
			if err := st.AppendAudit(db.AuditEvent{At: e.now(), By: e.actor().Name, Action: "group.delete", Target: args[0]}); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "group %s removed\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, list, show, rm)
	return cmd
}
