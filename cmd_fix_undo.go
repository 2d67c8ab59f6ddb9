package main

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/fix"
)

// newFixUndoCmd builds `vigil fix undo RECORD`: it shows what the undo will
// restore, asks y/N on a terminal (--yes otherwise), works once, refuses
// when the resource drifted from the fix's after-state, and audits every
// attempt, declined ones included.
func newFixUndoCmd(e *env) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "undo RECORD",
		Short: "Reverse an applied fix where the action allows it (asks y/N; --yes off a terminal)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.readOnly {
				return &exitError{code: exitUsage, err: errors.New("undo is not available with --read-only")}
			}
			c, done, err := e.openCycle(cmd.Context(), true)
			if err != nil {
				return err
			}
			defer done()
			orig, err := c.CheckUndo(args[0])
			if err != nil {
				return err
			}
			printUndo(e, orig)
			ok, err := confirm(e, f, "Undo this fix?")
			if err != nil || !ok {
				reason := "declined at the prompt"
				if err != nil {
					reason = err.Error()
				}
				if _, aerr := c.DeclineUndo(orig.ID, e.actor(), reason); aerr != nil {
					return aerr
				}
				if err != nil {
					return &exitError{code: exitUsage, err: fmt.Errorf("nothing changed: %w", err)}
				}
				fmt.Fprintln(e.stdout, "nothing changed")
				return nil
			}
			rec, err := c.UndoFix(cmd.Context(), orig.ID, e.actor())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "undone: %s (record %s)\n", orig.ID, rec.ID)
			return nil
		},
	}
	cmd.Flags().BoolVar(&f.yes, "yes", false, "confirm without asking (needed when stdin is not a terminal)")
	return cmd
}

// printUndo shows what undoing a record restores.
func printUndo(e *env, r *fix.Record) {
	fmt.Fprintf(e.stdout, "Undo %s (%s) on %s (%s/%s), applied by %s at %s\n", r.ID, r.Action,
		asset.Clean(r.AssetID), r.Account, r.Region, asset.Clean(r.By), r.At.Format("2006-01-02 15:04"))
	if len(r.Before) > 0 {
		b, _ := json.Marshal(r.Before)
		fmt.Fprintf(e.stdout, "  restores: %s\n", asset.Clean(string(b)))
	}
}
