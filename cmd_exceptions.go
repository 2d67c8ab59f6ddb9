package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vigil-sec/vigil/asset"
	"github.com/vigil-sec/vigil/cycle"
	"github.com/vigil-sec/vigil/groups"
	"github.com/vigil-sec/vigil/rules"
)

type criteriaFlags struct {
	types, accounts, regions, tags, match []string
	expr                                  string
}

func (f *criteriaFlags) bind(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&f.types, "type", nil, "asset type (repeatable)")
	cmd.Flags().StringSliceVar(&f.accounts, "account", nil, "account ID (repeatable: any of)")
	cmd.Flags().StringSliceVar(&f.regions, "region", nil, "region (repeatable: any of)")
	cmd.Flags().StringArrayVar(&f.tags, "tag", nil, "tag KEY=VALUE (repeatable; same key: any of)")
	cmd.Flags().StringArrayVar(&f.match, "match", nil, "attribute PATH=VALUE, e.g. imds.http_tokens=optional")
	cmd.Flags().StringVar(&f.expr, "expr", "", "CEL expression over `resource` for what criteria cannot say")
}

// group builds the criteria as a group definition.
func (f *criteriaFlags) group(name string) (groups.Group, error) {
	g := groups.Group{Name: name, Types: f.types, Expr: f.expr, Match: map[string][]string{}}
	add := func(path, v string) { g.Match[path] = append(g.Match[path], v) }
	for _, a := range f.accounts {
		add("account", a)
	}
	for _, r := range f.regions {
		add("region", r)
	}
	for _, t := range f.tags {
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return g, fmt.Errorf("--tag %q: want KEY=VALUE", t)
		}
		add("tags."+k, v)
	}
	for _, m := range f.match {
		k, v, ok := strings.Cut(m, "=")
		if !ok {
			return g, fmt.Errorf("--match %q: want PATH=VALUE", m)
		}
		add(k, v)
	}
	if len(g.Match) == 0 {
		g.Match = nil
	}
	return g, groups.Validate(g)
}

func newExceptionsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "exceptions", Short: "Add, list and revoke exceptions (exempt violations)"}
	var reason, expires string
	var sticky bool
	var policies []string
	var crit criteriaFlags
	add := &cobra.Command{
		Use:   "add [VIOLATION_ID]",
		Short: "Exempt one violation, or (--sticky) every asset the criteria select, now and later",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if reason == "" || expires == "" {
				return &exitError{code: exitUsage, err: errors.New("an exception needs --reason and --expires")}
			}
			exp, err := rules.ParseExpiry(expires, e.now())
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			ex := rules.Exception{Reason: reason, Expires: exp, PolicyIDs: policies}
			switch {
			case sticky:
				g, err := crit.group("exception")
				if err != nil {
					return &exitError{code: exitUsage, err: err}
				}
				ex.Kind, ex.Criteria = rules.ExceptionSticky, &g
			case len(args) == 1:
				ex.Kind, ex.ViolationID = rules.ExceptionIndividual, args[0]
			default:
				return &exitError{code: exitUsage, err: errors.New("name a VIOLATION_ID, or use --sticky with criteria")}
			}
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			out, err := cycle.AddException(cmd.Context(), c, ex, e.actor())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "exception %s added (%s, expires %s)\n", out.ID, out.Kind, out.Expires.Format("2006-01-02"))
			return nil
		},
	}
	add.Flags().StringVar(&reason, "reason", "", "why (required)")
	add.Flags().StringVar(&expires, "expires", "", "when it ends: "+rules.ExpiryHelp+" (required)")
	add.Flags().BoolVar(&sticky, "sticky", false, "cover every asset the criteria select, including future ones")
	add.Flags().StringSliceVar(&policies, "policy", nil, "sticky: only these policies (default all)")
	crit.bind(add)

	var asJSON bool
	list := &cobra.Command{
		Use: "list", Short: "List exceptions, expiring soonest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			// Confined to the actor's groups: an SSH user confined to prod
			// sees no individual exception of another group's asset.
			es, err := e.cycleBackend(c).Exceptions()
			if err != nil {
				return err
			}
			sort.Slice(es, func(i, j int) bool { return es[i].Expires.Before(es[j].Expires) })
			if asJSON {
				return printJSONList(e, es)
			}
			now := e.now()
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tSTATE\tEXPIRES\tAUTHOR\tCOVERS\tREASON")
			for _, x := range es {
				state := "active"
				switch {
				case x.RevokedAt != nil:
					state = "revoked"
				case !x.Active(now):
					state = "expired"
				}
				covers := x.ViolationID
				if x.Kind == rules.ExceptionSticky && x.Criteria != nil {
					covers = describeCriteria(*x.Criteria)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", x.ID, x.Kind, state, x.Expires.Format("2006-01-02"),
					asset.Clean(x.Author), asset.Clean(covers), asset.Clean(x.Reason))
			}
			return tw.Flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	revoke := &cobra.Command{
		Use: "revoke ID", Short: "End an exception; its violations re-open at once", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, done, err := e.openCycle(cmd.Context(), false)
			if err != nil {
				return err
			}
			defer done()
			if err := cycle.RevokeException(cmd.Context(), c, args[0], e.actor()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "exception %s revoked\n", args[0])
			return nil
		},
	}
	cmd.AddCommand(add, list, revoke)
	return cmd
}

// describeCriteria renders a group's criteria on one line.
func describeCriteria(g groups.Group) string { return groups.Describe(g) }
