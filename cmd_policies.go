package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/rules"
)

func newPoliciesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "policies", Short: "List, show, validate and test policies"}
	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List every loaded policy", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ps, errs := rules.LoadAll(e.existingPolicyDirs()...)
			printPolicyErrors(e.stderr, errs)
			sort.Slice(ps, func(i, j int) bool { return ps[i].ID < ps[j].ID })
			if asJSON {
				return printJSON(e, ps)
			}
			evalErrs := e.lastEvalErrors()
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tCATEGORY\tRESOURCE\tFIX\tERRORS\tNAME")
			for _, p := range ps {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%s\n", p.ID, p.Severity, p.Category, strings.Join(p.Resources, ","), dash(p.Fix), evalErrs[p.ID].Count(), p.Name)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			for _, p := range ps {
				if pe, ok := evalErrs[p.ID]; ok {
					fmt.Fprintf(e.stdout, "\n%s could not judge %d asset(s) in the last evaluation; first %s: %s\n",
						p.ID, pe.Count(), asset.Clean(pe.Asset), pe.Message)
				}
			}
			return nil
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	show := &cobra.Command{
		Use: "show ID", Short: "Show one policy", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, errs := rules.LoadAll(e.existingPolicyDirs()...)
			printPolicyErrors(e.stderr, errs)
			for _, p := range ps {
				if p.ID == args[0] {
					fmt.Fprintf(e.stdout, "%s — %s\n\n", p.ID, p.Name)
					fmt.Fprintf(e.stdout, "resource:    %s\nseverity:    %s\ncategory:    %s\nframeworks:  %s\nfix:         %s (autofix %t)\nfile:        %s\n",
						strings.Join(p.Resources, ", "), p.Severity, p.Category, strings.Join(p.Frameworks, ", "), dash(p.Fix), p.Autofix, p.File)
					if p.Description != "" {
						fmt.Fprintf(e.stdout, "\n%s\n", strings.TrimSpace(p.Description))
					}
					fmt.Fprintf(e.stdout, "\ncheck:\n  %s\n", strings.ReplaceAll(strings.TrimSpace(p.Check), "\n", "\n  "))
					if len(p.Params) > 0 {
						b, _ := json.Marshal(p.Params)
						fmt.Fprintf(e.stdout, "params: %s\n", b)
					}
					fmt.Fprintf(e.stdout, "\nremediation: %s\n", strings.TrimSpace(p.Remediation))
					return nil
				}
			}
			return fmt.Errorf("no policy %q (see `vigil policies list`)", args[0])
		},
	}
	validate := &cobra.Command{
		Use: "validate [DIR]", Short: "Load policies (the built-in pack, or DIR) and report every problem", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			if len(args) == 1 {
				errs = rules.Validate(os.DirFS(args[0]), ".")
			} else {
				errs = rules.Validate(rules.BuiltinFS(), ".")
			}
			for _, err := range errs {
				fmt.Fprintln(e.stdout, err)
			}
			if len(errs) > 0 {
				return &exitError{code: exitFailed, err: fmt.Errorf("%d problem(s)", len(errs))}
			}
			fmt.Fprintln(e.stdout, "ok")
			return nil
		},
	}
	test := &cobra.Command{
		Use: "test [DIR]", Short: "Run every policy's inline tests (the built-in pack, or DIR)", Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var ps []*rules.Policy
			var errs []error
			if len(args) == 1 {
				ps, errs = rules.LoadDir(os.DirFS(args[0]), ".")
			} else {
				ps, errs = rules.LoadDir(rules.BuiltinFS(), ".")
			}
			for _, err := range errs {
				fmt.Fprintln(e.stdout, "FAIL load:", err)
			}
			passed, failed := 0, len(errs)
			for _, r := range rules.RunTests(ps) {
				if r.Passed {
					passed++
					continue
				}
				failed++
				fmt.Fprintln(e.stdout, "FAIL", r.Err())
			}
			fmt.Fprintf(e.stdout, "%d policies, %d inline tests passed, %d failed\n", len(ps), passed, failed)
			if failed > 0 {
				return &exitError{code: exitFailed, err: errors.New("policy tests failed")}
			}
			return nil
		},
	}
	cmd.AddCommand(list, show, validate, test)
	return cmd
}

// lastEvalErrors reads the last evaluation's errors by policy ID from the
// store, when there is one; a store that cannot be read gives none (the
// list still prints).
func (e *env) lastEvalErrors() map[string]rules.PolicyErrors {
	dir := e.paths().DB
	if _, err := os.Stat(dir); err != nil {
		return nil
	}
	st, err := e.openStoreRO()
	if err != nil {
		fmt.Fprintf(e.stderr, "warning: evaluation errors not shown: %v\n", err)
		return nil
	}
	defer st.Close()
	errs, err := st.EvalErrors()
	if err != nil {
		fmt.Fprintf(e.stderr, "warning: evaluation errors not shown: %v\n", err)
		return nil
	}
	out := make(map[string]rules.PolicyErrors, len(errs))
	for _, pe := range errs {
		out[pe.PolicyID] = pe
	}
	return out
}

// existingPolicyDirs are the user policy dirs: the config one if present,
// and every --policies dir (a missing one is reported by the loader).
func (e *env) existingPolicyDirs() []string {
	dirs := e.policyDirs()
	if st, err := os.Stat(dirs[0]); err != nil || !st.IsDir() {
		dirs = dirs[1:]
	}
	return dirs
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
