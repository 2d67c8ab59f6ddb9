package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/db"
	"github.com/vigil-sec/vigil/fix"
	"github.com/vigil-sec/vigil/rules"
)

type fixFlags struct {
	apply, yes, all bool
	policy, group   string
	max             int
}

func newFixCmd(e *env) *cobra.Command {
	var f fixFlags
	cmd := &cobra.Command{
		Use:   "fix [VIOLATION_ID]",
		Short: "Plan a violation's fix (changes nothing); --apply applies it after confirmation",
		Long: "vigil fix ID prints what the fix will change and changes nothing. --apply asks y/N on a\n" +
			"terminal; without a terminal it needs --yes. Bulk: --policy P --all [--group G] --apply --yes\n" +
			"[--max N] (default 10). Every applied, refused or failed fix is audited (vigil fixes).",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if e.readOnly {
				return &exitError{code: exitUsage, err: errors.New("fixes are not available with --read-only")}
			}
			if _, err := cycle.BulkCap(0, f.max); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			switch {
			case len(args) == 1:
				return fixOne(cmd.Context(), e, args[0], f)
			case f.all && f.policy != "":
				return fixBulk(cmd.Context(), e, f)
			}
			return &exitError{code: exitUsage, err: errors.New("name a VIOLATION_ID, or --policy P --all")}
		},
	}
	cmd.Flags().BoolVar(&f.apply, "apply", false, "apply the fix (after confirmation)")
	cmd.Flags().BoolVar(&f.yes, "yes", false, "confirm without asking (needed when stdin is not a terminal)")
	cmd.Flags().BoolVar(&f.all, "all", false, "every open violation of --policy")
	cmd.Flags().StringVar(&f.policy, "policy", "", "policy ID for bulk fixes")
	cmd.Flags().StringVar(&f.group, "group", "all", "asset group for bulk fixes")
	cmd.Flags().IntVar(&f.max, "max", cycle.DefaultBulkMax, "at most this many fixes in bulk")
	cmd.AddCommand(newFixUndoCmd(e))
	return cmd
}

func printPlan(e *env, p *fix.Plan) {
	fmt.Fprintf(e.stdout, "Fix %s on %s (%s, %s/%s)\n", p.Action, asset.Clean(p.AssetID), asset.Clean(p.AssetName), p.Account, p.Region)
	if p.Noop {
		fmt.Fprintln(e.stdout, "  nothing to do: the live resource is already compliant")
		return
	}
	fmt.Fprintf(e.stdout, "  %s\n", asset.Clean(p.Summary))
	if p.Destructive {
		fmt.Fprintln(e.stdout, "  DESTRUCTIVE: this removes a resource")
	}
	fmt.Fprintln(e.stdout, "  calls:")
	for _, c := range p.Calls {
		b, _ := json.Marshal(c.Params)
		fmt.Fprintf(e.stdout, "    %s:%s %s\n", c.Service, c.Op, asset.Clean(string(b)))
	}
	if len(p.Before) > 0 {
		b, _ := json.Marshal(p.Before)
		fmt.Fprintf(e.stdout, "  before: %s\n", asset.Clean(string(b)))
	}
	fmt.Fprintf(e.stdout, "  undo: %s\n", map[bool]string{true: "available", false: "not available"}[p.Undoable])
}

// confirm asks y/N on a terminal; No is the default. Off a terminal it
// needs --yes.
func confirm(e *env, f fixFlags, question string) (bool, error) {
	if f.yes {
		return true, nil
	}
	if !e.isTTY(e.stdin) {
		return false, errors.New("stdin is not a terminal: pass --yes to apply without a prompt")
	}
	fmt.Fprintf(e.stdout, "%s [y/N] ", question)
	line, _ := bufio.NewReader(e.stdin).ReadString('\n')
	a := strings.ToLower(strings.TrimSpace(line))
	return a == "y" || a == "yes", nil
}

func fixOne(ctx context.Context, e *env, id string, f fixFlags) error {
	c, done, err := e.openCycle(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	plan, err := c.PlanFixAs(ctx, id, e.actor())
	if err != nil {
		return err
	}
	printPlan(e, plan)
	if !f.apply || plan.Noop {
		if !f.apply {
			fmt.Fprintln(e.stdout, "(plan only: nothing was changed; add --apply to apply)")
		}
		return nil
	}
	ok, err := confirm(e, f, "Apply this fix?")
	if err != nil || !ok {
		reason := "declined at the prompt"
		if err != nil {
			reason = err.Error()
		}
		if _, aerr := c.DeclineFix(plan, e.actor(), reason); aerr != nil {
			return aerr
		}
		if err != nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("nothing changed: %w", err)}
		}
		fmt.Fprintln(e.stdout, "nothing changed")
		return nil
	}
	rec, err := c.ApplyFix(ctx, plan, e.actor())
	if err != nil {
		return fmt.Errorf("fix %s: %w", rec.ID, err)
	}
	fmt.Fprintf(e.stdout, "applied (record %s); violation %s closed\n", rec.ID, plan.ViolationID)
	return nil
}

func fixBulk(ctx context.Context, e *env, f fixFlags) error {
	c, done, err := e.openCycle(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	vs, _, err := c.GroupViolations(f.group, db.ViolationFilter{PolicyID: f.policy, Status: []string{rules.StatusOpen}})
	if err != nil {
		return err
	}
	keep, err := cycle.BulkCap(len(vs), f.max)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if keep < len(vs) {
		fmt.Fprintf(e.stdout, "%d open violations of %s; fixing at most %d (--max)\n", len(vs), f.policy, f.max)
		vs = vs[:keep]
	}
	if !f.apply {
		for _, v := range vs {
			plan, err := c.PlanFix(ctx, v.ID)
			if err != nil {
				fmt.Fprintf(e.stdout, "%s: %s\n", v.ID, asset.Clean(err.Error()))
				continue
			}
			printPlan(e, plan)
		}
		fmt.Fprintln(e.stdout, "(plan only: nothing was changed; add --apply --yes to apply)")
		return nil
	}
	ok, err := confirm(e, f, fmt.Sprintf("Apply %d fixes of %s?", len(vs), f.policy))
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("nothing changed: %w", err)}
	}
	if !ok {
		fmt.Fprintln(e.stdout, "nothing changed")
		return nil
	}
	applied, failed := 0, 0
	for _, v := range vs {
		plan, err := c.PlanFix(ctx, v.ID)
		if err == nil && !plan.Noop {
			_, err = c.ApplyFix(ctx, plan, e.actor())
		}
		if err != nil {
			failed++
			fmt.Fprintf(e.stdout, "%s: %s\n", v.ID, asset.Clean(err.Error()))
			continue
		}
		applied++
	}
	fmt.Fprintf(e.stdout, "%d applied, %d failed\n", applied, failed)
	if failed > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}
