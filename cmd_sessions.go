package main

import (
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
)

func newSessionsCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "sessions",
		Short: "List the live SSH sessions of vigil serve (admin; run over ssh)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if e.sessions == nil {
				return &exitError{code: exitUsage, err: errors.New("no server here: run it over ssh, e.g. ssh -p 2222 ADMIN@HOST sessions")}
			}
			if a := e.actor(); a.Role != asset.RoleAdmin {
				return &exitError{code: exitFailed, err: fmt.Errorf("%s may not list sessions: role %s; it needs admin", a.Name, a.Role)}
			}
			ss := e.sessions()
			if asJSON {
				return printJSONList(e, ss)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tUSER\tROLE\tFROM\tSINCE\tKEY\tWHAT")
			for _, s := range ss {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ID, asset.Clean(s.User), s.Role, s.From,
					s.Since.Format("2006-01-02 15:04:05"), s.Key, asset.Clean(s.What))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
